#!/usr/bin/perl
# A very small HTTP server for the EXPOSE / -p demonstration: perl-base only.
use strict;
use warnings;
use IO::Socket::INET;

my $port = $ENV{PORT} || 80;
my $server = IO::Socket::INET->new(LocalPort => $port, Listen => 10, ReuseAddr => 1)
    or die "cannot listen on $port: $!";
print "listening on $port\n";
$| = 1;
while (my $client = $server->accept) {
    my $request = <$client> // '';
    my ($path) = $request =~ m{^GET (\S+)};
    my $body = "hello from a container, you asked for " . ($path // '?') . "\n";
    print $client "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
        . length($body) . "\r\n\r\n$body";
    close $client;
}
