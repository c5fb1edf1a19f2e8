"""The digits example (examples/AutoGrad.Examples.Digits) in PyTorch: the same split, network, loss, optimizer,
batch size, epochs and seed policy, so the two test accuracies can be compared.

    /usr/bin/python3 benchmarks/compare/digits_pytorch.py [--seeds 0 1 2 3 4] [--epochs 40] [--check FILE.safetensors]

Split: every fifth image (index 4, 9, ...) is a test image. Model: Linear(64, 64), ReLU, Linear(64, 10) in float64
with PyTorch's default initialisation, seeded by torch.manual_seed(seed); Adam(lr=1e-3); cross-entropy; shuffled
batches of 32 per epoch. With --check, also loads the weights the C# example saved (safetensors, read here with
struct and json only) and prints their test accuracy, which must equal the one the C# program printed.
"""
import argparse, gzip, json, os, struct
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "examples", "AutoGrad.Examples.Digits", "data", "digits.csv.gz")

def load():
    rows = np.loadtxt(gzip.open(DATA, "rt"), delimiter=",")
    x, y = rows[:, :64] / 16.0, rows[:, 64].astype(np.int64)
    test = np.arange(len(y)) % 5 == 4
    t = lambda a: torch.from_numpy(a)
    return t(x[~test]), t(y[~test]), t(x[test]), t(y[test])

def model():
    return torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)).double()

def accuracy(net, x, y):
    with torch.no_grad():
        return (net(x).argmax(1) == y).double().mean().item()

def train(seed, epochs, data):
    x_train, y_train, x_test, y_test = data
    torch.manual_seed(seed)
    net = model()
    adam = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=False)
    for _ in range(epochs):
        order = torch.randperm(len(y_train))
        for start in range(0, len(order), 32):
            rows = order[start:start + 32]
            adam.zero_grad()
            torch.nn.functional.cross_entropy(net(x_train[rows]), y_train[rows]).backward()
            adam.step()
    return accuracy(net, x_test, y_test)

def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F64", e
        begin, end = e["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(blob[8 + n + begin:8 + n + end], dtype="<f8").reshape(e["shape"]).copy())
    return out

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--check")
    args = parser.parse_args()
    data = load()
    print(f"torch {torch.__version__}: {len(data[1])} training and {len(data[3])} test images")
    if args.check:
        tensors = read_safetensors(args.check)
        net = model()
        # the C# Mlp names its layers 0 and 1; nn.Sequential numbers the ReLU too, so its second Linear is "2"
        state = {"0.weight": tensors["0.weight"], "0.bias": tensors["0.bias"].reshape(-1),
                 "2.weight": tensors["1.weight"], "2.bias": tensors["1.bias"].reshape(-1)}
        net.load_state_dict(state)
        print(f"C# weights from {args.check}: test accuracy {accuracy(net, data[2], data[3]):.4f}")
    results = [train(seed, args.epochs, data) for seed in args.seeds]
    for seed, acc in zip(args.seeds, results):
        print(f"seed {seed}: test accuracy {acc:.4f}")
    print(f"mean {np.mean(results):.4f}, min {min(results):.4f}, max {max(results):.4f} over {len(results)} seeds")
