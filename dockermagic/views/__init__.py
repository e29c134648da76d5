"""Everything a person sees. Views take plain data; no docker imports here."""
