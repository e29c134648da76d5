"""Parsing of the image family and of the generic inspect: one spec type per command."""

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.images import ImagePruneSpec, ImagesSpec, PullSpec, PushSpec
from dockermagic.commands.inspect import ImageInspectSpec, InspectSpec
from dockermagic.errors import CommandError


def error(line: str) -> str:
    with pytest.raises(CommandError) as info:
        parse_line(line)
    return str(info.value)


def test_pull_and_push_have_a_spec_each():
    assert parse_line("pull -q --platform linux/amd64 debian:bookworm") == PullSpec(
        "debian:bookworm", all_tags=False, quiet=True, platform="linux/amd64"
    )
    assert parse_line("image pull -a x") == PullSpec("x", all_tags=True)
    assert parse_line("push -q 127.0.0.1:5000/x:1") == PushSpec("127.0.0.1:5000/x:1", quiet=True)
    assert parse_line("image push x") == PushSpec("x")


def test_images_filters_are_frozen_pairs():
    spec = parse_line("images -f dangling=true -f label=a=1 -f label=b repo")
    assert spec == ImagesSpec("repo", filters=(("dangling", ("true",)), ("label", ("a=1", "b"))))


def test_inspect_of_any_kind():
    assert parse_line("inspect -f '{{.Id}}' --type image -s a b") == InspectSpec(
        ("a", "b"), "{{.Id}}", "image", True
    )
    assert parse_line("image inspect a") == ImageInspectSpec(("a",))  # images only, as --type image
    assert error("inspect --type pod a") == "--type pod: use container, image, network or volume."


def test_image_prune_needs_f_and_keeps_its_filters():
    assert parse_line("image prune -f") == ImagePruneSpec(all=False, filters=())
    assert parse_line("image prune -a -f --filter until=1h --filter label=x=1") == ImagePruneSpec(
        all=True, filters=(("label", ("x=1",)), ("until", ("1h",)))
    )
    assert error("image prune") == (
        "'%docker image prune' removes every dangling (untagged) image: add -f to confirm (a notebook cell "
        "cannot answer the CLI's prompt), and --filter label=... to narrow it."
    )
    assert "every image no container uses" in error("image prune -a")
    assert "use key=value" in error("image prune -f --filter nokey")


@pytest.mark.parametrize(
    "line, spec",
    [
        ("image ls", "ImagesSpec"),
        ("image list -q", "ImagesSpec"),
        ("image rm x", "RmiSpec"),
        ("image tag a b", "TagSpec"),
        ("image save -o f x", "SaveSpec"),
        ("image load -i f", "LoadSpec"),
        ("image history x", "HistorySpec"),
        ("image build .", "BuildSpec"),
        ("builder build .", "BuildSpec"),
        ("container inspect x", "ContainerInspectSpec"),
    ],
)
def test_image_spellings(line, spec):
    assert type(parse_line(line)).__name__ == spec
