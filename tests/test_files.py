"""Files are written atomically through an exclusive temporary file in the same folder, and model
files that are corrupt in odd ways are refused with a StateDictError naming the key."""
import json
import os
import stat

import pytest

import autograd
import nn
from autograd import Value
from autograd.show import files


def leftovers(folder, *keep):
    return sorted(name for name in os.listdir(folder) if name not in keep)


def test_a_planted_symlink_at_the_old_temporary_name_is_not_followed(tmp_path):
    # the attack: the temporary file used to be path + ".tmp" + pid, opened without O_EXCL
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.symlink(victim, shared / f"model.json.tmp{os.getpid()}")
    nn.MLP(2, [1], seed=0).save(shared / "model.json")
    assert victim.read_text() == "precious"
    assert not (shared / "model.json").is_symlink()
    assert json.loads((shared / "model.json").read_text())["format"] == "chainrule.state_dict"
    assert nn.MLP(2, [1]).load(shared / "model.json").state_dict() == \
        nn.MLP(2, [1], seed=0).state_dict()


def test_the_temporary_file_is_created_exclusively_in_the_destinations_folder(tmp_path,
                                                                              monkeypatch):
    made = []
    real_mkstemp = files.tempfile.mkstemp

    def spy(**kwargs):
        made.append(kwargs)
        return real_mkstemp(**kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", spy)
    autograd.write_atomically(tmp_path / "a.txt", "hello")
    assert made[0]["dir"] == str(tmp_path)
    assert (tmp_path / "a.txt").read_text() == "hello"
    assert leftovers(tmp_path) == ["a.txt"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError(28, "No space left")])
def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch,
                                                                        interruption):
    target = tmp_path / "model.json"
    model = nn.MLP(2, [1], seed=0)
    model.save(target)
    before = target.read_bytes()

    def fail(*args):
        raise interruption

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(type(interruption) if isinstance(interruption, OSError)
                       else interruption) as error:
        nn.MLP(2, [1], seed=1).save(target)
    if isinstance(interruption, OSError):  # the error names the destination, not the temp file
        assert str(target) in str(error.value) and ".tmp" not in str(error.value)
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == ["model.json"]


def test_a_failing_rename_names_the_destination_and_cleans_up(tmp_path, monkeypatch):
    def refuse(source, destination):
        raise PermissionError(13, "Permission denied", source)

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(PermissionError, match="cannot write .*out.txt: Permission denied") as error:
        autograd.write_atomically(tmp_path / "out.txt", b"bytes")
    assert ".tmp" not in str(error.value)
    assert leftovers(tmp_path) == []


def test_saving_onto_a_folder_is_a_clear_error_and_leaves_nothing(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder; give a file name inside it"):
        nn.MLP(2, [1], seed=0).save(folder)
    assert leftovers(folder) == [] and leftovers(tmp_path) == ["models"]
    (tmp_path / "picture.dot").mkdir()
    x = Value(2.0)
    with pytest.raises(IsADirectoryError, match="picture.dot: it is a folder"):
        autograd.save_graph(x * x, tmp_path / "picture.dot")
    assert leftovers(tmp_path / "picture.dot") == [] and leftovers(tmp_path) == ["models",
                                                                                 "picture.dot"]


def test_permissions_are_those_of_the_old_file_or_of_a_plain_open(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    autograd.write_atomically(target, "new")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640 and target.read_text() == "new"
    plain = tmp_path / "plain.txt"
    with open(plain, "w"):
        pass
    autograd.write_atomically(tmp_path / "fresh.txt", "x")
    assert stat.S_IMODE(os.stat(tmp_path / "fresh.txt").st_mode) == \
        stat.S_IMODE(os.stat(plain).st_mode)


def test_save_graph_and_save_backward_steps_write_atomically(tmp_path, monkeypatch):
    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    dot, page = tmp_path / "g.dot", tmp_path / "steps.html"
    autograd.save_graph(y, dot)
    autograd.save_backward_steps(y, page)
    old_dot, old_page = dot.read_bytes(), page.read_bytes()
    assert old_dot.startswith(b"digraph") and b"<html" in old_page.lower()

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupt)
    z = (x * 3).tanh()
    z.backward()
    with pytest.raises(KeyboardInterrupt):
        autograd.save_graph(z, dot)
    with pytest.raises(KeyboardInterrupt):
        autograd.save_backward_steps(z, page)
    assert dot.read_bytes() == old_dot and page.read_bytes() == old_page
    assert leftovers(tmp_path) == ["g.dot", "steps.html"]


# -- names and folders: one rule for every saver --------------------------------------------------
def _graph():
    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    return y


SAVERS = {  # saver name -> (extension it needs, save(path))
    "write_atomically": (".txt", lambda path: autograd.write_atomically(path, "text")),
    "Module.save": (".json", lambda path: nn.MLP(2, [1], seed=0).save(path)),
    "save_graph": (".dot", lambda path: autograd.save_graph(_graph(), path)),
    "save_backward_steps": (".html", lambda path: autograd.save_backward_steps(_graph(), path)),
    "NetworkPicture.save": (".svg", lambda path: nn.draw_network(nn.MLP(2, [1], seed=0)).save(path)),
}


def name_of(length, extension, letter="a"):
    """A file name of exactly `length` bytes in UTF-8 ending in `extension`."""
    stem = length - len(extension)
    if letter == "a":
        return "a" * stem + extension
    wide = len(letter.encode())  # a multibyte letter, padded with ASCII to the exact length
    return letter * (stem // wide) + "b" * (stem % wide) + extension


@pytest.mark.parametrize("saver", sorted(SAVERS))
@pytest.mark.parametrize("length, letter", [(242, "a"), (250, "a"), (255, "a"), (255, "é")])
def test_every_saver_accepts_every_name_the_file_system_accepts(tmp_path, saver, length, letter):
    # the temporary name was '.' + name + 8 random + '.tmp': 14 bytes over for names of 242-255
    extension, save = SAVERS[saver]
    name = name_of(length, extension, letter)
    assert len(name.encode()) == length
    (tmp_path / name).write_text("old")  # the file system takes the name
    save(tmp_path / name)
    assert (tmp_path / name).read_bytes() != b"old"
    assert leftovers(tmp_path) == [name]


@pytest.mark.parametrize("saver", sorted(SAVERS))
def test_a_name_longer_than_the_file_system_takes_is_a_clear_error(tmp_path, saver):
    extension, save = SAVERS[saver]
    name = name_of(256, extension)
    with pytest.raises(OSError, match=rf"cannot write .*{extension}: File name too long") as error:
        save(tmp_path / name)
    assert ".tmp" not in str(error.value)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("saver", sorted(SAVERS))
def test_every_saver_creates_missing_folders(tmp_path, saver):
    extension, save = SAVERS[saver]
    path = tmp_path / "runs" / "first" / f"out{extension}"
    save(path)
    assert path.is_file() and leftovers(path.parent) == [path.name]


@pytest.mark.parametrize("saver", sorted(SAVERS))
def test_a_file_in_the_way_of_the_folders_is_named(tmp_path, saver):
    extension, save = SAVERS[saver]
    (tmp_path / "runs").write_text("a file, not a folder")
    with pytest.raises(NotADirectoryError, match=r"cannot write .*out.*: .*runs is a file, not a "
                                                 r"folder"):
        save(tmp_path / "runs" / "first" / f"out{extension}")
    assert leftovers(tmp_path) == ["runs"]


@pytest.mark.parametrize("saver", sorted(SAVERS))
@pytest.mark.parametrize("empty", ["", b""])
def test_an_empty_path_is_a_clear_error(tmp_path, monkeypatch, saver, empty):
    # model.save("") said "cannot write : No such file or directory"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="cannot write to an empty path: give a file name"):
        SAVERS[saver][1](empty)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("saver", sorted(SAVERS))
def test_a_path_ending_with_a_separator_names_a_folder_and_is_refused(tmp_path, saver):
    with pytest.raises(ValueError, match="it ends with a separator, so it names a folder"):
        SAVERS[saver][1](f"{tmp_path}/models/")
    assert leftovers(tmp_path) == []


def test_a_path_that_is_no_path_is_a_clear_type_error(tmp_path):
    with pytest.raises(TypeError, match="a file path must be a str or os.PathLike .*got int: 3"):
        nn.MLP(2, [1], seed=0).save(3)


# -- corrupt model files ------------------------------------------------------------------------
def model_file(tmp_path, state_text, version="1"):
    path = tmp_path / "model.json"
    path.write_text('{"format": "chainrule.state_dict", "version": ' + version
                    + ', "state": ' + state_text + "}")
    return path


def test_a_400_digit_integer_is_refused_naming_its_key(tmp_path):
    path = model_file(tmp_path, '{"layers.0.neurons.0.b": ' + "9" * 400 + "}")
    with pytest.raises(nn.StateDictError, match=r"layers\.0\.neurons\.0\.b holds an integer of "
                                                r"400 digits"):
        nn.load_state(path)
    path = model_file(tmp_path, '{"w": ' + "9" * 5000 + "}")  # longer than int() converts
    with pytest.raises(nn.StateDictError, match="w holds an integer far too large"):
        nn.load_state(path)
    with pytest.raises(nn.StateDictError, match=r"b: 1000\d* is not a finite number"):
        nn.Neuron(1).load_state_dict({"w.0": 1.0, "b": 10 ** 400})


def test_deeply_nested_lists_are_refused_naming_the_key(tmp_path):
    path = model_file(tmp_path, '{"b": 0.5, "w.0": ' + "[" * 100_000 + "}")
    with pytest.raises(nn.StateDictError, match="w.0 holds lists or objects nested"):
        nn.load_state(path)


def test_a_version_of_true_is_not_version_1(tmp_path):
    path = model_file(tmp_path, '{"b": 0.5}', version="true")
    with pytest.raises(nn.StateDictError, match="format version True"):
        nn.load_state(path)


@pytest.mark.parametrize("key, value, message", [
    ("num_batches_tracked", 2.5, "2.5 is not a count of batches"),
    ("num_batches_tracked", -7, "-7.0 is not a count of batches"),
    ("running_var.1", -1, "-1.0 is negative, but a variance is >= 0"),
])
def test_batchnorm_buffers_out_of_their_range_are_refused(tmp_path, key, value, message):
    model = nn.Sequential(nn.Layer(2, 2, seed=0), nn.BatchNorm1d(2))
    state = model.state_dict()
    state[f"1.{key}"] = value
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "chainrule.state_dict", "version": 1, "state": state}))
    fresh = nn.Sequential(nn.Layer(2, 2, seed=1), nn.BatchNorm1d(2))
    before = fresh.state_dict()
    with pytest.raises(nn.StateDictError, match=rf"1\.{key}: {message}"):
        fresh.load(path)
    assert fresh.state_dict() == before  # nothing changed
