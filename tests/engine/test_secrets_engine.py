"""Secrets stay masked on every output path, against the real engine.

Each test first checks that the engine really holds the secret (so that a
masked output is not simply an empty one), then reads what a person sees.
"""

import pytest
from IPython.core.error import UsageError

from dockermagic.secrets import MASK
from tests.conftest import BASE_IMAGE

SECRET = "hunter2-s3cret"


def faces(view) -> str:
    """Text and HTML of a view, as the notebook saves them."""
    return view.text() + "\n" + view.html()


@pytest.fixture
def with_env(ip, client, unique):
    name = f"{unique}-db"
    ip.run_line_magic(
        "docker",
        f"create --name {name} -e MYSQL_ROOT_PASSWORD={SECRET} "
        f"-e API_TOKEN={SECRET} -e PLAIN=visible {BASE_IMAGE} "
        f"sh -c 'DB_PASSWORD={SECRET} true'",
    )
    assert f"MYSQL_ROOT_PASSWORD={SECRET}" in client.api.inspect_container(name)["Config"]["Env"]
    return name


@pytest.mark.parametrize(
    "template",
    [
        "{{.Config.Env}}",
        "{{json .Config.Env}}",
        "json",
        "{{json .}}",
        "{{range .Config.Env}}{{.}} {{end}}",
        "{{.Config.Cmd}}",
    ],
)
def test_inspect_format(ip, with_env, template):
    out = str(ip.run_line_magic("docker", f"inspect -f '{template}' {with_env}"))
    assert SECRET not in out and MASK in out


def test_inspect_view_and_ps(ip, with_env):
    view = ip.run_line_magic("docker", f"inspect {with_env}")
    assert SECRET not in faces(view) and "PLAIN=visible" in view.text()
    table = ip.run_line_magic("docker", f"ps -a --no-trunc --filter name={with_env}")
    assert len(table) == 1 and SECRET not in faces(table) and MASK in table.text()
    out = str(
        ip.run_line_magic("docker", f"ps -a --no-trunc --filter name={with_env} --format '{{{{.Command}}}}'")
    )
    assert SECRET not in out and MASK in out


@pytest.fixture
def built(ip, client, unique, capfd):
    image = ip.run_cell_magic(
        "dockerfile",
        f"-t {unique}-sec",
        f"FROM {BASE_IMAGE}\nENV DB_PASSWORD={SECRET} PLAIN=visible\nRUN echo API_TOKEN={SECRET}\n",
    )
    streamed = capfd.readouterr().out
    history = client.api.history(f"{unique}-sec")
    assert any(SECRET in h["CreatedBy"] for h in history)
    return image, streamed


def test_build_log_streamed_and_kept(built):
    image, streamed = built
    assert "[2/2] RUN" in streamed and SECRET not in streamed and MASK in streamed  # BuildKit, the default
    assert SECRET not in faces(image.build_steps)


def test_history_text_html_no_trunc_and_format(ip, built, unique):
    for extra in ("", "--no-trunc "):
        view = ip.run_line_magic("docker", f"history {extra}{unique}-sec")
        assert SECRET not in faces(view) and MASK in view.text()
    out = str(ip.run_line_magic("docker", f"history --no-trunc --format '{{{{.CreatedBy}}}}' {unique}-sec"))
    assert SECRET not in out and MASK in out


def test_image_repr_and_layers(ip, built, unique):
    image, _ = built
    assert SECRET not in repr(image) and SECRET not in image._repr_html_()
    pretty = ip.display_formatter.format(image)[0]
    assert SECRET not in "".join(pretty.values())
    layers = ip.run_line_magic("docker", f"layers {unique}-sec")
    assert SECRET not in faces(layers)


def test_error_messages(ip, unique, client):
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic(
            "dockerfile", f"-t {unique}-fail", f"FROM {BASE_IMAGE}\nRUN DB_PASSWORD={SECRET} false\n"
        )
    assert "[2/2] RUN DB_PASSWORD=" in str(caught.value) and SECRET not in str(caught.value)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("docker", f"rm API_TOKEN={SECRET}")
    assert "API_TOKEN" in str(caught.value) and SECRET not in str(caught.value)
    for image in client.api.images(filters={"dangling": True}):  # the failed build's finished step
        if any(SECRET in h["CreatedBy"] for h in client.api.history(image["Id"])):
            client.api.remove_image(image["Id"], force=True)
