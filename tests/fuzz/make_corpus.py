#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/ (a maintenance tool; no test runs it).

Usage: tests/fuzz/make_corpus.py path/to/mlpviz

Valid sessions come from `mlpviz train ... --save` (small point counts, so each stays under the
fuzzer's -max_len), plus edits of them that the format allows (no samples, no parameters, other
stop rules). Invalid ones are edits that break one rule each. Names say what the replay test
expects: ok_* must load, bad_* must be rejected with a message.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SESSION = os.path.join(HERE, "corpus", "session")
CSV = os.path.join(HERE, "corpus", "csv")

TRAINED = {
    "default": ["--points", "20"],
    "spiral3_relu": ["--data", "spiral", "--classes", "3", "--points", "24", "--layers", "4,4", "--activation", "relu"],
    "xor_depth0": ["--data", "xor", "--points", "8", "--layers", "none"],
    "blobs6": ["--data", "blobs", "--classes", "6", "--points", "12", "--layers", "3"],
    "all_features": ["--points", "10", "--layers", "3", "--features", "x1,x2,x1^2,x2^2,x1*x2,sin_x1,sin_x2"],
    "deep": ["--data", "circles", "--points", "8", "--layers", "2,2,2,2,2,2,2,2", "--activation", "swish"],
    "wide": ["--data", "checkerboard", "--points", "8", "--layers", "64", "--activation", "elu"],
    "sigmoid_mse": ["--points", "8", "--layers", "3", "--output", "sigmoid_mse", "--init", "xavier", "--optimizer", "momentum"],
    "linear_mse": ["--points", "8", "--layers", "3", "--output", "linear_mse", "--init", "zeros", "--optimizer", "sgd",
                   "--schedule", "step", "--l1", "0.01", "--l2", "0.01"],
    "softplus_he": ["--points", "8", "--layers", "5", "--activation", "softplus", "--init", "he", "--optimizer", "rmsprop",
                    "--schedule", "exponential", "--bias-init", "0.1"],
    "abs_adagrad": ["--points", "8", "--layers", "5", "--activation", "abs", "--init", "small", "--optimizer", "adagrad",
                    "--schedule", "inverse_time"],
    "leaky_adamw": ["--points", "8", "--layers", "5", "--activation", "leaky_relu", "--init", "uniform", "--optimizer", "adamw",
                    "--batch", "100000"],
    "sigmoid_nesterov": ["--points", "8", "--layers", "2", "--activation", "sigmoid", "--optimizer", "nesterov"],
    "identity": ["--points", "8", "--layers", "2", "--activation", "identity", "--train-fraction", "1"],
}


def write(folder, name, text):
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def dump(j):
    return json.dumps(j, indent=1) + "\n"


def main():
    mlpviz = sys.argv[1]
    os.makedirs(SESSION, exist_ok=True)
    os.makedirs(CSV, exist_ok=True)
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for name, flags in TRAINED.items():
            out = os.path.join(tmp, name + ".json")
            subprocess.run([mlpviz, "train", "--steps", "20", "--save", out] + flags, check=True,
                           stdout=subprocess.DEVNULL)
            with open(out, encoding="utf-8") as f:
                text = f.read()
            write(SESSION, "ok_" + name + ".json", text)
            if name == "default":
                base = json.loads(text)
        csv_out = os.path.join(tmp, "csv.json")
        subprocess.run([mlpviz, "train", "--steps", "5", "--save", csv_out, "--train-csv",
                        os.path.join(HERE, "..", "data", "xor_train.csv"), "--test-csv",
                        os.path.join(HERE, "..", "data", "xor_test.csv"), "--layers", "4"],
                       check=True, stdout=subprocess.DEVNULL)
        with open(csv_out, encoding="utf-8") as f:
            write(SESSION, "ok_custom_from_csv.json", f.read())

    def run_of(j):  # a compared run: the main run's own part of the file (no data)
        return {k: copy.deepcopy(j[k]) for k in ("network", "optimizer", "training", "parameters", "progress") if k in j}

    def edit(name, fn, ok=False):
        j = copy.deepcopy(base)
        fn(j)
        write(SESSION, ("ok_" if ok else "bad_") + name + ".json", dump(j))

    def setp(path, value):
        def fn(j):
            node = j
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
        return fn

    def delp(path):
        def fn(j):
            node = j
            for k in path[:-1]:
                node = node[k]
            del node[path[-1]]
        return fn

    # Valid edits.
    edit("no_samples", delp(["data", "samples"]), ok=True)
    edit("no_parameters", delp(["parameters"]), ok=True)
    edit("bare", lambda j: (j["data"].pop("samples"), j.pop("parameters")), ok=True)
    edit("stop_steps", setp(["training", "stop", "kind"], "steps"), ok=True)
    edit("stop_epochs", setp(["training", "stop", "kind"], "epochs"), ok=True)
    edit("stop_target", setp(["training", "stop", "kind"], "target_loss"), ok=True)
    edit("max_seed", setp(["training", "weight_seed"], 18446744073709551615), ok=True)
    edit("integral_float", setp(["data", "points"], 20.0), ok=True)
    edit("slow", setp(["training", "steps_per_second"], 0.5), ok=True)
    edit("custom_empty", lambda j: (j["data"].update(kind="custom", points=0, samples=[]), j.pop("parameters")), ok=True)
    edit("all_test", lambda j: [p.__setitem__(3, True) for p in j["data"]["samples"]], ok=True)
    edit("knocked_out", setp(["network", "knocked_out"], [[1, 1], [2, 8]]), ok=True)
    edit("compared", lambda j: j.update(compared=[run_of(j), dict(run_of(j), optimizer=dict(j["optimizer"], learning_rate=0.1))]), ok=True)
    edit("compared_settings_only", lambda j: j.update(compared=[{k: j[k] for k in ("network", "optimizer", "training")}]), ok=True)

    # One broken rule each.
    edit("format", setp(["format"], "mlpviz-sessio"))
    edit("version_2", setp(["version"], 2))
    edit("version_0", setp(["version"], 0))
    edit("version_string", setp(["version"], "1"))
    edit("unknown_top", setp(["frobnicate"], 1))
    edit("unknown_data", setp(["data", "colour"], "red"))
    edit("unknown_layer", lambda j: j["network"]["layers"][0].update(dropout=0.5))
    edit("unknown_stop", setp(["training", "stop", "patience"], 3))
    edit("unknown_param_key", lambda j: j["parameters"][0].update(extra=[]))
    edit("kind_enum", setp(["data", "kind"], "swirl"))
    edit("activation_enum", lambda j: j["network"]["layers"][0].update(activation="relu6"))
    edit("output_enum", setp(["network", "output"], "softmax"))
    edit("init_enum", setp(["network", "init"], "glorot"))
    edit("optimizer_enum", setp(["optimizer", "kind"], "lbfgs"))
    edit("schedule_enum", setp(["optimizer", "schedule"], "cosine"))
    edit("stop_enum", setp(["training", "stop", "kind"], "forever"))
    edit("feature_enum", setp(["network", "features"], ["x3"]))
    edit("features_empty", setp(["network", "features"], []))
    edit("lr_string", setp(["optimizer", "learning_rate"], "0.01"))
    edit("lr_zero", setp(["optimizer", "learning_rate"], 0))
    edit("lr_huge", setp(["optimizer", "learning_rate"], 1e6))
    edit("batch_zero", setp(["optimizer", "batch_size"], 0))
    edit("batch_float", setp(["optimizer", "batch_size"], 10.5))
    edit("classes_bool", setp(["data", "classes"], True))
    edit("classes_7", lambda j: (j["data"].update(classes=7), j["network"].update(classes=7)))
    edit("classes_mismatch", setp(["network", "classes"], 3))
    edit("points_null", setp(["data", "points"], None))
    edit("points_huge", setp(["data", "points"], 10**30))
    edit("points_negative", setp(["data", "points"], -4))
    edit("noise_negative", setp(["data", "noise"], -1))
    edit("knocked_out_layer", setp(["network", "knocked_out"], [[3, 1]]))
    edit("knocked_out_unit", setp(["network", "knocked_out"], [[1, 9]]))
    edit("knocked_out_shape", setp(["network", "knocked_out"], [[1]]))
    edit("seed_negative", setp(["data", "seed"], -1))
    edit("seed_float", setp(["data", "seed"], 1.5))
    edit("width_0", lambda j: j["network"]["layers"][0].update(width=0))
    edit("width_65", lambda j: j["network"]["layers"][0].update(width=65))
    edit("depth_9", lambda j: j["network"].update(layers=[{"width": 2, "activation": "tanh"}] * 9))
    edit("layers_object", setp(["network", "layers"], {"width": 2}))
    edit("data_array", setp(["data"], [1, 2, 3]))
    edit("network_missing", delp(["network"]))
    edit("sample_short", lambda j: j["data"]["samples"].__setitem__(0, [0.1, 0.2, 1]))
    edit("sample_label_7", lambda j: j["data"]["samples"][0].__setitem__(2, 7))
    edit("sample_label_float", lambda j: j["data"]["samples"][0].__setitem__(2, 1.0))
    edit("sample_x_huge", lambda j: j["data"]["samples"][0].__setitem__(0, 1e300))
    edit("sample_test_int", lambda j: j["data"]["samples"][0].__setitem__(3, 1))
    edit("params_layers", lambda j: j["parameters"].pop())
    edit("params_row", lambda j: j["parameters"][0]["W"][0].pop())
    edit("params_bias", lambda j: j["parameters"][1]["b"].append(0.5))
    edit("params_string", lambda j: j["parameters"][0]["W"][0].__setitem__(0, "0.5"))
    edit("params_layer_index", lambda j: j["parameters"][0].update(layer=2))
    edit("stop_steps_0", setp(["training", "stop", "steps"], 0))
    edit("speed_negative", setp(["training", "steps_per_second"], -1))
    edit("compared_four", lambda j: j.update(compared=[run_of(j)] * 4))
    edit("compared_data", lambda j: j.update(compared=[dict(run_of(j), data=j["data"])]))
    edit("compared_lr", lambda j: j.update(compared=[dict(run_of(j), optimizer=dict(j["optimizer"], learning_rate=0))]))
    edit("compared_params", lambda j: j.update(compared=[dict(run_of(j), parameters=j["parameters"][:-1])]))
    edit("compared_object", setp(["compared"], {"network": {}}))

    text = dump(base)
    write(SESSION, "bad_truncated.json", text[: len(text) // 2])
    write(SESSION, "bad_empty.json", "")
    write(SESSION, "bad_not_json.json", "mlpviz session\n")
    write(SESSION, "bad_nan.json", text.replace('"noise": 0.1', '"noise": NaN'))
    write(SESSION, "bad_infinity.json", text.replace('"noise": 0.1', '"noise": Infinity'))
    write(SESSION, "bad_duplicate_trailing.json", text + "{}\n")
    write(SESSION, "ok_bom.json", "\ufeff" + text)  # nlohmann skips a UTF-8 byte order mark
    write(SESSION, "bad_top_array.json", "[" + text + "]")
    write(SESSION, "bad_deep_array.json", '{"format": ' + "[" * 2000 + "]" * 2000 + "}")
    write(SESSION, "bad_deep_object.json", '{"format": "mlpviz-session", "version": 1, "data": ' +
          '{"a": ' * 1500 + "1" + "}" * 1500 + "}")
    write(SESSION, "bad_long_string.json", '{"format": "' + "x" * 20000 + '"}')
    write(SESSION, "bad_nul.json", text.replace('"moons"', '"moo\\u0000ns"'))

    # CSV seeds.
    csvs = {
        "ok_plain.csv": "0.5,0.5,1\n-0.5,-0.5,0\n",
        "ok_header.csv": "x1,x2,label\n0.5,0.5,1\n-0.5,0.25,0\n",
        "ok_comments.csv": "# points\n0.5, 0.5 ,1 # one\n\n  -0.5,-0.5,0\r\n",
        "ok_six_classes.csv": "".join(f"{i / 10},{-i / 10},{i % 6}\n" for i in range(12)),
        "ok_exponents.csv": "1e-3,+2.5E2,0\n-1e6,1e6,5\n",
        "ok_single_class.csv": "0.1,0.2,0\n0.3,0.4,0\n",
        "ok_label_float.csv": "0.1,0.2,1.0\n",
        "bad_empty.csv": "",
        "bad_only_header.csv": "x1,x2,label\n",
        "bad_nan.csv": "0.1,0.2,0\nnan,0.5,1\n",
        "bad_inf.csv": "0.1,inf,0\n",
        "bad_label_6.csv": "0.1,0.2,6\n",
        "bad_label_negative.csv": "0.1,0.2,-1\n",
        "bad_label_fraction.csv": "0.1,0.2,0.5\n",
        "bad_four_fields.csv": "0.1,0.2,0,1\n",
        "bad_two_fields.csv": "0.1,0.2\n",
        "bad_huge_x.csv": "1e7,0,0\n",
        "bad_overflow.csv": "1e400,0,0\n",
        "bad_text_row.csv": "0.1,0.2,0\nfoo,bar,baz\n",
        "bad_semicolons.csv": "0.1;0.2;0\n",
        "bad_nul.csv": "0.1,0.2,0\n\0\0\0\n",
    }
    for name, text in csvs.items():
        write(CSV, name, text)


if __name__ == "__main__":
    main()
