"""PyTorch's half of the side-by-side benchmark with hypermeta (benchmarks/peer.mjs drives it).

The same computations as hypermeta, written the way a PyTorch user would (eager mode, autograd,
torch.optim.Adam, clip_grad_norm_):

  conv4Step   one Omniglot meta-step on one episode: conv4 (3x3 conv, batch norm with the support
              set's statistics, ReLU, 2x2 max-pool, four times), the hypernet head (each class's
              classifier weights generated from its prototype and the episode's mean prototype, as
              a correction to the prototype classifier), cross-entropy plus the auxiliary prototype
              loss, backward, clipping by global norm 10, one Adam update
              (packages/core/src/fewshot/{conv4,heads,methods/hypernet}.ts, nn/channel-ops.ts)
  sinusoid    one meta-training step of the default sinusoid hypernetwork: T tasks drawn (3-12
              shots, 20 queries), set encoder z = rho(mean phi([x, y])), generator theta = g(z),
              the generated 1-40-40-1 task networks on the queries, MSE, backward, clipping, Adam
              (packages/core/src/model/*, conditioning/set-encoder.ts, generators/mlp-hypernetwork.ts)
  adaptOne    adapt to one 5-shot task and predict 10 points (no gradient)
  adaptBatch  adapt 1,000 5-shot tasks in one batch, theta copied out per parameter

Run as `python3 peer.py --threads N --weights DIR`: DIR holds hypermeta's export (check.json and
its .bin files), so both sides start from the same weights. One JSON request per line on stdin,
one JSON answer per line on stdout.
"""

import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def arg(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


THREADS = int(arg("--threads", "1"))
torch.set_num_threads(THREADS)
torch.set_num_interop_threads(1)
torch.manual_seed(1)
DIR = arg("--weights")


def load_arrays(prefix, index):
    """hypermeta's flat little-endian float32 file as name -> tensor (hypermeta's layouts)."""
    with open(prefix + ".bin", "rb") as f:
        flat = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    return {a["name"]: flat[a["offset"] : a["offset"] + a["length"]].reshape(a["shape"]).clone() for a in index}


def mlp(params, x, last_relu=False):
    """Dense layers [in, out] weights, ReLU between them (and after the last when asked)."""
    n = len(params) // 2
    for i in range(n):
        x = torch.matmul(x, params[2 * i]) + params[2 * i + 1]
        if i + 1 < n or last_relu:
            x = F.relu(x)
    return x


# ---------------------------------------------------------------- conv4 + hypernet head


class Conv4Hypernet:
    def __init__(self, arrays, ways, queries, filters, proto_loss):
        self.ways, self.filters, self.proto_loss = ways, filters, proto_loss
        self.names = [k for k in arrays if not k.startswith("input/")]
        params = []
        for k in self.names:
            t = arrays[k]
            # hypermeta's conv filters are [3, 3, in, out] (HWIO); PyTorch's are [out, in, 3, 3].
            if t.dim() == 4:
                t = t.permute(3, 2, 0, 1).contiguous()
            params.append(t.clone().requires_grad_(True))
        self.p = dict(zip(self.names, params))
        self.params = params
        n = ways * (1 + queries)
        support = arrays["input/support"].reshape(ways, 1, 28, 28)
        query = arrays["input/query"].reshape(n - ways, 1, 28, 28)
        self.images = torch.cat([support, query], 0)
        self.labels = arrays["input/labels"].to(torch.int64)
        self.opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)

    def embed(self, x, stats_of):
        h = x
        for i in range(4):
            w, gamma, beta = (self.p[f"backbone/conv{i}/{k}"] for k in ("w", "gamma", "beta"))
            z = F.conv2d(h, w, padding=1)
            # Batch norm with the support images' statistics (biased variance), folded into one
            # per-channel affine map; ReLU after the pool (they commute).
            var, mean = torch.var_mean(z[:stats_of], dim=(0, 2, 3), correction=0)
            scale = gamma * torch.rsqrt(var + 1e-5)
            shift = beta - mean * scale
            h = F.relu(F.max_pool2d(z * scale[None, :, None, None] + shift[None, :, None, None], 2))
        return h.flatten(1)

    def loss(self):
        ways = self.ways
        emb = self.embed(self.images, ways)
        s, q = emb[:ways], emb[ways:]
        protos = s  # one shot per class
        base_w = 2 * protos
        base_b = -(protos * protos).sum(1)
        ctx = protos.mean(0, keepdim=True).expand(ways, -1)
        gen = [self.p[k] for k in self.names if k.startswith("gen/")]
        out = mlp(gen, torch.cat([protos, ctx], 1))
        w = base_w + out[:, : self.filters]
        b = base_b + out[:, self.filters]
        loss = F.cross_entropy(q @ w.t() + b, self.labels)
        if self.proto_loss:
            loss = loss + self.proto_loss * F.cross_entropy(q @ base_w.t() + base_b, self.labels)
        return loss

    def step(self, lr, clip=10.0):
        for g in self.opt.param_groups:
            g["lr"] = lr
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(self.params, clip)
        self.opt.step()
        return loss.item(), norm.item()


# ---------------------------------------------------------------- sinusoid hypernetwork

TASK_SIZES = [1, 40, 40, 1]


class SinusoidHypernet:
    def __init__(self, arrays):
        self.names = [k for k in arrays if not k.startswith(("input/", "output/"))]
        self.params = [arrays[k].clone().requires_grad_(True) for k in self.names]
        group = lambda prefix: [p for k, p in zip(self.names, self.params) if k.startswith(prefix)]
        self.phi, self.rho, self.gen = group("cond/phi/"), group("cond/rho/"), group("gen/")
        self.splits = []
        for a, b in zip(TASK_SIZES, TASK_SIZES[1:]):
            self.splits += [a * b, b]
        self.opt = torch.optim.Adam(self.params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)

    def adapt(self, sx, sy):
        """theta [T, P] of T tasks from their support sets [T, K, 1]."""
        pooled = mlp(self.phi, torch.cat([sx, sy], 2), last_relu=True).mean(1)
        return mlp(self.gen, mlp(self.rho, pooled))

    def task_forward(self, theta, x):
        T = theta.shape[0]
        parts = theta.split(self.splits, 1)
        h = x
        layers = len(TASK_SIZES) - 1
        for i in range(layers):
            w = parts[2 * i].view(T, TASK_SIZES[i], TASK_SIZES[i + 1])
            b = parts[2 * i + 1][:, None, :]
            # A one-input layer is a broadcast product (as hypermeta computes it).
            h = h * w + b if TASK_SIZES[i] == 1 else torch.baddbmm(b, h, w)
            if i + 1 < layers:
                h = F.relu(h)
        return h

    def loss(self, sx, sy, qx, qy):
        pred = self.task_forward(self.adapt(sx, sy), qx)
        return ((pred - qy) ** 2).mean()

    def step(self, batch, lr, clip=10.0):
        for g in self.opt.param_groups:
            g["lr"] = lr
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss(*batch)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(self.params, clip)
        self.opt.step()
        return loss.item(), norm.item()


def sinusoid_tasks(T, shots, queries):
    """T sinusoid tasks y = A sin(x - phase), A in [0.1, 5], phase in [0, pi], x in [-5, 5]."""
    amp = torch.empty(T, 1, 1).uniform_(0.1, 5.0)
    phase = torch.empty(T, 1, 1).uniform_(0.0, math.pi)
    sx = torch.empty(T, shots, 1).uniform_(-5.0, 5.0)
    qx = torch.empty(T, queries, 1).uniform_(-5.0, 5.0)
    return sx, amp * torch.sin(sx - phase), qx, amp * torch.sin(qx - phase)


def cosine_lr(step, steps=12000, start=3e-3, end=1e-5, warmup=100):
    if step < warmup:
        return start * (step + 1) / warmup
    p = min(1.0, (step - warmup) / max(1, steps - warmup))
    return end + 0.5 * (start - end) * (1 + math.cos(math.pi * p))


# ---------------------------------------------------------------- requests

CHECK = json.load(open(f"{DIR}/check.json")) if DIR else None
STATE = {}


def conv4_arrays():
    c = CHECK["conv4"]
    return load_arrays(f"{DIR}/conv4", c["arrays"]), c


def sinusoid_arrays():
    s = CHECK["sinusoid"]
    return load_arrays(f"{DIR}/sinusoid", s["arrays"]), s


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-12)


def check(_req):
    """The numbers hypermeta exported, computed here from the same weights and inputs."""
    arrays, c = conv4_arrays()
    model = Conv4Hypernet(arrays, c["ways"], c["queries"], c["filters"], c["protoLoss"])
    loss0, norm0 = model.step(c["lr"], c["clipNorm"])
    loss1, _ = model.step(c["lr"], c["clipNorm"])
    conv4 = {"loss0": loss0, "norm0": norm0, "loss1": loss1}
    arrays, s = sinusoid_arrays()
    model = SinusoidHypernet(arrays)
    batch = tuple(arrays[f"input/{k}"] for k in ("supportX", "supportY", "queryX", "queryY"))
    with torch.inference_mode():
        pred = model.task_forward(model.adapt(batch[0], batch[1]), batch[2])
    want = arrays["output/prediction"]
    pred_err = ((pred - want).abs().max() / want.abs().max().clamp_min(1e-12)).item()
    loss0, norm0 = model.step(batch, s["lr"], s["clipNorm"])
    loss1, _ = model.step(batch, s["lr"], s["clipNorm"])
    sinusoid = {"loss0": loss0, "norm0": norm0, "loss1": loss1, "predictionMaxRelError": pred_err}
    errors = {}
    for name, mine, theirs in (("conv4", conv4, c), ("sinusoid", sinusoid, s)):
        for k in ("loss0", "norm0", "loss1"):
            errors[f"{name}.{k}"] = rel(mine[k], theirs[k])
    errors["sinusoid.prediction"] = pred_err
    return {"conv4": conv4, "sinusoid": sinusoid, "relErrors": errors}


def conv4_step(req):
    key = ("conv4", req["ways"], req["queries"], req["filters"])
    if key not in STATE:
        arrays, c = conv4_arrays()
        if (c["ways"], c["queries"], c["filters"]) != key[1:]:
            raise ValueError(f"the exported conv4 weights are for {c['ways']} ways, {c['queries']} queries, {c['filters']} filters")
        model = Conv4Hypernet(arrays, c["ways"], c["queries"], c["filters"], c["protoLoss"])
        for _ in range(req.get("warmup", 3)):
            model.step(1e-4)
        STATE[key] = model
    model = STATE[key]
    times = []
    for _ in range(req["reps"]):
        t0 = time.perf_counter()
        model.step(1e-4)
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": statistics.median(times), "unit": "ms/step"}


def sinusoid(req):
    T = req["T"]
    key = ("sinusoid", T)
    if key not in STATE:
        STATE[key] = {"model": SinusoidHypernet(sinusoid_arrays()[0]), "step": 0}
    s = STATE[key]
    model = s["model"]

    def run():
        shots = int(torch.randint(3, 13, ()).item())
        model.step(sinusoid_tasks(T, shots, 20), cosine_lr(s["step"]))
        s["step"] += 1

    if s["step"] == 0:
        for _ in range(req.get("warmup", 50)):
            run()
    calls, t0 = 0, time.perf_counter()
    while calls < 3 or (time.perf_counter() - t0) * 1000 < req["minMs"]:
        run()
        calls += 1
    ms = (time.perf_counter() - t0) * 1000 / calls
    return {"ms": ms, "tasksPerS": 1000 * T / ms, "unit": "ms/step"}


def adapt_model():
    if "adapt" not in STATE:
        STATE["adapt"] = {"model": SinusoidHypernet(sinusoid_arrays()[0]), "warm": False}
    return STATE["adapt"]


def adapt_one(req):
    s = adapt_model()
    model = s["model"]

    def run():
        sx, sy, qx, _ = sinusoid_tasks(1, req["shots"], 10)
        t0 = time.perf_counter()
        with torch.inference_mode():
            pred = model.task_forward(model.adapt(sx, sy), qx)
            pred.tolist()
        return (time.perf_counter() - t0) * 1000

    if not s["warm"]:
        for _ in range(req.get("warmup", 500)):
            run()
        s["warm"] = True
    return {"ms": statistics.median(run() for _ in range(req["reps"])), "unit": "ms/task"}


def adapt_batch(req):
    model = adapt_model()["model"]

    def run():
        sx, sy, _, _ = sinusoid_tasks(req["tasks"], req["shots"], 1)
        t0 = time.perf_counter()
        with torch.inference_mode():
            theta = model.adapt(sx, sy)
            # theta read out per parameter, as hypermeta's adapt returns it
            [t.contiguous() for t in theta.split(model.splits, 1)]
        return (time.perf_counter() - t0) * 1000

    for _ in range(req.get("warmup", 1)):
        run()
    ms = statistics.median(run() for _ in range(req["reps"]))
    return {"ms": ms, "usPerTask": 1000 * ms / req["tasks"], "unit": "ms/batch"}


HANDLERS = {"check": check, "conv4Step": conv4_step, "sinusoid": sinusoid, "adaptOne": adapt_one, "adaptBatch": adapt_batch}


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if req["cmd"] == "quit":
                break
            out = {"ok": True, **HANDLERS[req["cmd"]](req)}
        except Exception as e:  # reported to the runner, which stops with it
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
