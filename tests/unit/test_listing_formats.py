"""The list commands' --format forms on plain rows: the CLI's contexts, headers, order and masking."""

import pytest

from dockermagic.actions.listing import formatted, header, natural_key, network_rows, units_size, volume_rows
from dockermagic.errors import CommandError

ROW = {"ID": "abc", "Names": "web", "Labels": "b=2,a=<1>", "Command": '"sh -c DB_PASSWORD=hunter2 run"'}
COLUMNS = [("ID", "CONTAINER ID"), ("Names", "NAMES")]


def test_json_is_one_sorted_object_a_row_with_every_field_html_escaped_and_secrets_masked():
    text = str(formatted([ROW, ROW], "json", COLUMNS, "container"))
    lines = text.split("\n")
    assert len(lines) == 2 and lines[0] == lines[1]
    assert lines[0].startswith('{"Command":"\\"sh -c DB_PASSWORD=') and '"Status":""}' in lines[0]
    assert "hunter2" not in text and "a=\\u003c1\\u003e" in text


def test_table_format_has_the_clis_headers_and_a_label_method():
    table = formatted([ROW], 'table {{.ID}}\\t{{.Label "a"}}\\t{{.CreatedAt}}', COLUMNS, "container")
    assert table.text() == "CONTAINER ID   a         CREATED AT\nabc            <1>       "
    assert "&lt;1&gt;" in table.html() and "<1>" not in table.html()


def test_table_alone_is_the_commands_columns():
    assert (
        formatted([ROW], "table", COLUMNS, "container").text() == "CONTAINER ID   NAMES\nabc            web"
    )


def test_a_field_the_context_lacks_is_an_error_as_with_the_cli():
    with pytest.raises(CommandError, match="can't evaluate field Nope in type \\*formatter.ContainerContext"):
        formatted([ROW], "{{.Nope}}", COLUMNS, "container")


@pytest.mark.parametrize(
    "field, title",
    [
        ("CreatedAt", "CREATED AT"),
        ("RunningFor", "CREATED"),
        ("LocalVolumes", "LOCAL VOLUMES"),
        ("PIDs", "PIDS"),
    ],
)
def test_headers_are_the_clis(field, title):
    assert header(field) == title


def test_networks_and_volumes_in_natural_name_order():
    nets = [
        {"Id": "1" * 64, "Name": n, "Driver": "bridge", "Scope": "local"} for n in ("net10", "net9", "bridge")
    ]
    assert [r["Name"] for r in network_rows(nets)] == ["bridge", "net9", "net10"]
    assert network_rows(nets)[0]["CreatedAt"] == "0001-01-01 00:00:00 +0000 UTC"
    vols = [{"Driver": "local", "Name": n} for n in ("v2", "v10", "v1")]
    assert [r["Name"] for r in volume_rows(vols)] == ["v1", "v2", "v10"]
    assert natural_key("a9") < natural_key("a10")


def test_units_size_has_four_digits_as_go_units():
    assert [units_size(n) for n in (0, 999, 116_700_000, 1_337_000_000)] == [
        "0B",
        "999B",
        "116.7MB",
        "1.337GB",
    ]
