"""Golden learning-rate schedules and a two-group training run from torch.optim (torch 1.13, CPU).

Writes nn/src/test/resources/golden/scheduler/schedules.json:
    {"steps": S, "cases": [{"name", "scheduler", "args", "group_lrs", "optimizer",
                            "metrics" (ReduceLROnPlateau only), "lrs", "counters" (ReduceLROnPlateau only),
                            "state_at": {"epoch": k, "state": {...}}}]}
  Every case builds an SGD(lr=0.1) optimizer whose two parameter groups have the learning rates "group_lrs", then
  the scheduler; "lrs"[0] is get_last_lr() after construction (ReduceLROnPlateau: the groups' lr) and "lrs"[t] after
  the t-th step() (ReduceLROnPlateau: step(metrics[t-1])). "counters"[t] = [best, num_bad_epochs, cooldown_counter]
  after step t. "state_at" is scheduler.state_dict() after step k (numbers only; lists as lists).
  "errors" maps a refused call's name to torch's message.
  Floats are Python's repr (shortest round-tripping text), so the JSON holds torch's doubles exactly.

and nn/src/test/resources/golden/scheduler/two_groups.json: a Linear(4, 3) trained with MSELoss for 12 steps by an
optimizer with two parameter groups (weight, bias) that set some options of their own (TWO_GROUP_RUNS: Adam with
StepLR, AdamW with CosineAnnealingLR, SGD with ExponentialLR), the scheduler stepped after every optimizer step:
    {"runs": [{"name", "optimizer", "groups" (each group's own options), "defaults", "scheduler",
               "scheduler_args", "x", "y" (nested lists), "weight0", "bias0", "steps",
               "losses" (per step, before the update), "weight", "bias" (after all steps),
               "lrs" (get_last_lr() after each scheduler step)}]}

Run: /usr/bin/python3 tools/make_scheduler_golden.py
"""

import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "scheduler")
STEPS = 60
GROUP_LRS = [0.1, 0.02]
STATE_EPOCH = 25

# LambdaLR factors that Java can compute with the same double operations (no pow/exp, whose last bit may differ
# between libm and Java): a warm-up to 1 and a 1/(1+epoch) decay.
LAMBDAS = {
    "warmup": lambda e: min(1.0, (e + 1) / 5),
    "inverse": lambda e: 1.0 / (1 + e),
}

PLATEAU_LOSSES = [1.0, 0.9, 0.85, 0.84, 0.845, 0.86, 0.839, 0.8, 0.801, 0.802, 0.8005, 0.79, 0.7899, 0.79, 0.795,
                  0.7, 0.71, 0.72, 0.73, 0.74, 0.69, 0.6905, 0.6901, 0.6902, 0.65, 0.66, 0.655, 0.651, 0.6505, 0.652,
                  0.6499, 0.6498, 0.6497, 0.64, 0.64, 0.64, 0.64, 0.64, 0.63, 0.6301, 0.62, 0.621, 0.622, 0.623,
                  0.624, 0.625, 0.61, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.59, 0.595, 0.596, 0.597, 0.598, 0.599, 0.5999]
PLATEAU_FLAT = [1.0 - 0.01 * t for t in range(10)] + [0.9] * (STEPS - 10)
PLATEAU_SCORES = [0.5 + 0.3 * (1 - 1 / (1 + t)) if t < 30 else 0.78 + 0.0001 * (t % 3) for t in range(STEPS)]

CASES = [
    ("step_lr", "StepLR", dict(step_size=7, gamma=0.5)),
    ("step_lr_default_gamma", "StepLR", dict(step_size=10)),
    ("exponential_lr", "ExponentialLR", dict(gamma=0.9)),
    ("cosine_t10_eta", "CosineAnnealingLR", dict(T_max=10, eta_min=0.001)),
    ("cosine_t7", "CosineAnnealingLR", dict(T_max=7)),
    ("lambda_shared", "LambdaLR", dict(lr_lambda="warmup")),
    ("lambda_per_group", "LambdaLR", dict(lr_lambda=["warmup", "inverse"])),
    ("plateau_min_rel", "ReduceLROnPlateau", dict(mode="min", factor=0.5, patience=3, threshold=0.01,
                                                 threshold_mode="rel", cooldown=2, min_lr=[1e-3, 5e-4],
                                                 eps=1e-8), PLATEAU_LOSSES),
    ("plateau_max_abs", "ReduceLROnPlateau", dict(mode="max", factor=0.3, patience=2, threshold=0.001,
                                                 threshold_mode="abs", cooldown=0, min_lr=0.004, eps=1e-8),
     PLATEAU_SCORES),
    ("plateau_defaults", "ReduceLROnPlateau", dict(), PLATEAU_FLAT),
]


def optimizer():
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in GROUP_LRS]
    return torch.optim.SGD(groups, lr=0.1)


def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def schedule(name, kind, args, metrics=None):
    opt = optimizer()
    kwargs = dict(args)
    if kind == "LambdaLR":
        spec = kwargs["lr_lambda"]
        kwargs["lr_lambda"] = [LAMBDAS[s] for s in spec] if isinstance(spec, list) else LAMBDAS[spec]
    sched = getattr(torch.optim.lr_scheduler, kind)(opt, **kwargs)
    plateau = kind == "ReduceLROnPlateau"
    lrs = [[g["lr"] for g in opt.param_groups] if plateau else sched.get_last_lr()]
    counters = []
    state_at = None
    for t in range(STEPS):
        opt.step()
        if plateau:
            sched.step(metrics[t])
            counters.append([sched.best, sched.num_bad_epochs, sched.cooldown_counter])
        else:
            sched.step()
        # torch 1.13's ReduceLROnPlateau has no get_last_lr(); its _last_lr is the groups' lr after the step
        lrs.append(list(sched._last_lr if plateau else sched.get_last_lr()))
        if t + 1 == STATE_EPOCH:
            state = {k: plain(v) for k, v in sched.state_dict().items()
                     if k not in ("lr_lambdas", "verbose", "_get_lr_called_within_step", "mode_worse")}
            state_at = {"epoch": STATE_EPOCH, "state": state}
    case = {"name": name, "scheduler": kind, "args": args, "group_lrs": GROUP_LRS, "lrs": lrs, "state_at": state_at}
    if plateau:
        case["metrics"] = metrics
        case["counters"] = counters
    return case


TWO_GROUP_RUNS = [
    # name, optimizer, its groups' own options, its defaults, scheduler, scheduler arguments
    ("adam_step_lr", "Adam", [{"lr": 0.05, "weight_decay": 0.01}, {"amsgrad": True}], dict(lr=0.01),
     "StepLR", dict(step_size=3, gamma=0.5)),
    ("adamw_cosine", "AdamW", [{"weight_decay": 0.1}, {"lr": 0.02, "weight_decay": 0.0, "betas": (0.8, 0.99)}],
     dict(lr=0.01), "CosineAnnealingLR", dict(T_max=5, eta_min=0.001)),
    ("sgd_exponential", "SGD", [{"momentum": 0.9, "nesterov": True}, {"lr": 0.2, "dampening": 0.1}],
     dict(lr=0.05, momentum=0.5), "ExponentialLR", dict(gamma=0.9)),
]


def two_group_run(name, kind, group_options, defaults, scheduler, scheduler_args):
    g = torch.Generator().manual_seed(7)
    model = torch.nn.Linear(4, 3)
    with torch.no_grad():
        model.weight.copy_(torch.randn(3, 4, generator=g))
        model.bias.copy_(torch.randn(3, generator=g))
    x = torch.randn(6, 4, generator=g)
    y = torch.randn(6, 3, generator=g)
    out = {"name": name, "optimizer": kind, "groups": [{k: list(v) if isinstance(v, tuple) else v
                                                        for k, v in o.items()} for o in group_options],
           "defaults": defaults, "scheduler": scheduler, "scheduler_args": scheduler_args,
           "x": x.tolist(), "y": y.tolist(), "weight0": model.weight.tolist(), "bias0": model.bias.tolist()}
    groups = [dict(params=[model.weight], **group_options[0]), dict(params=[model.bias], **group_options[1])]
    extra = {} if kind == "SGD" else {"foreach": False}
    opt = getattr(torch.optim, kind)(groups, **defaults, **extra)
    sched = getattr(torch.optim.lr_scheduler, scheduler)(opt, **scheduler_args)
    losses, lrs = [], []
    steps = 12
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        losses.append(loss.item())
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    out.update({"steps": steps, "losses": losses, "weight": model.weight.tolist(), "bias": model.bias.tolist(),
                "lrs": lrs})
    return out


def error_texts():
    """torch's messages for refused optimizer and scheduler arguments, by the name the Java test uses."""
    p = torch.zeros(2, requires_grad=True)
    q = torch.zeros(2, requires_grad=True)
    calls = {
        "param_in_two_groups": lambda: torch.optim.SGD([{"params": [p]}, {"params": [q, p]}], lr=0.1),
        "add_param_group_overlap": lambda: torch.optim.Adam([p]).add_param_group({"params": [p]}),
        "lambda_count": lambda: torch.optim.lr_scheduler.LambdaLR(optimizer(), [LAMBDAS["warmup"]]),
        "plateau_factor": lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer(), factor=1.0),
        "plateau_min_lrs": lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer(), min_lr=[0.1]),
        "plateau_mode": lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer(), mode="least"),
        "plateau_threshold_mode": lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer(),
                                                                                     threshold_mode="ratio"),
        "sgd_negative_lr": lambda: torch.optim.SGD([p], lr=-0.1),
        "adam_beta": lambda: torch.optim.Adam([p], betas=(1.0, 0.999)),
    }
    out = {}
    for name, call in calls.items():
        try:
            call()
        except (ValueError, KeyError) as e:
            out[name] = str(e)
        else:
            raise AssertionError(name + " was accepted")
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [schedule(*c) for c in CASES]
    with open(os.path.join(OUT, "schedules.json"), "w") as f:
        json.dump({"steps": STEPS, "cases": cases, "errors": error_texts()}, f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "two_groups.json"), "w") as f:
        json.dump({"runs": [two_group_run(*r) for r in TWO_GROUP_RUNS]}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
