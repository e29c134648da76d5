"""{expr} values on the real engine: one argument each, never a flag."""

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE


def test_a_value_with_a_flag_in_it_stays_an_env_value(ip, client, unique):
    ip.user_ns.update(v="1 --privileged", q="it's")
    ip.run_line_magic("docker", f"create --name {unique} -e A={{v}} -e Q={{q}} {BASE_IMAGE} true")
    doc = client.api.inspect_container(unique)
    assert doc["HostConfig"]["Privileged"] is False
    assert "A=1 --privileged" in doc["Config"]["Env"] and "Q=it's" in doc["Config"]["Env"]


def test_a_value_in_flag_position_is_refused_and_nothing_is_created(ip, client, unique):
    ip.user_ns.update(flag="--privileged")
    with pytest.raises(UsageError, match="never becomes a flag"):
        ip.run_line_magic("docker", f"create --name {unique} {{flag}} {BASE_IMAGE} true")
    assert client.api.containers(all=True, filters={"name": unique}) == []


def test_single_quoted_braces_reach_the_container_untouched(ip, unique):
    ip.user_ns.update(word="hello")
    run = ip.run_line_magic(
        "docker",
        f"run --rm {BASE_IMAGE} sh -c 'echo a b | awk \"{{ print \\$2 }}\"; echo {{word}} ${{HOME}}'",
    )
    assert run.stdout == "b\n{word} /root\n"
    run = ip.run_line_magic("docker", f'run --rm {BASE_IMAGE} echo "{{word}}" {{word}}')
    assert run.stdout == "hello hello\n"
