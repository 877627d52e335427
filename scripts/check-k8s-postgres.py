#!/usr/bin/env python3
"""Structural check of examples/k8s-postgres/ (no cluster needed; run by container-test.sh).

Usage: python3 scripts/check-k8s-postgres.py IMAGE UID   (from the repository root)

Parses every document and checks what the manifests promise (docs/deploy.md § Kubernetes
with PostgreSQL): two replicas updated one at a time, a PodDisruptionBudget over the same
pods, the database URL and the key read from a mounted Secret through *_FILE (the keys
exist), probes on the container's port (readiness on /health, which answers 503 while the
database is unreachable), the image the build produces, only variables BLS reads, and the
hardening of the single-pod example. Prints one `ok: …` or `FAILED: …` line per check.
"""
import glob
import os
import re
import sys

import yaml

DIR = "examples/k8s-postgres"
image = sys.argv[1] if len(sys.argv) > 1 else "bls"
uid = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 10001


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + "k8s-postgres: " + what)


def dig(d, *keys, default=None):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


def selects(selector, labels):
    """A matchLabels selector that is non-empty and matched by these labels."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


# --- every document parses
docs, errors = [], []
for path in sorted(glob.glob(f"{DIR}/*.yaml")):
    try:
        with open(path) as f:
            docs += [(path, d) for d in yaml.safe_load_all(f) if d]
    except yaml.YAMLError as error:
        errors.append(f"{path}: {error}")
check(bool(docs) and not errors, f"every document of {DIR}/*.yaml parses ({len(docs)} documents) {'; '.join(errors)}")
by_kind = {}
for path, d in docs:
    if d.get("kind") != "Kustomization":
        check(bool(d.get("apiVersion")) and bool(dig(d, "metadata", "name")),
              f"{os.path.basename(path)}: {d.get('kind')} has apiVersion and metadata.name")
        by_kind.setdefault(d.get("kind"), []).append(d)
for kind in ("Deployment", "Service", "PodDisruptionBudget", "Secret"):
    check(len(by_kind.get(kind, [])) == 1, f"exactly one {kind}")
check("PersistentVolumeClaim" not in by_kind, "no PersistentVolumeClaim (the events are in PostgreSQL)")
kust = [d for _, d in docs if d.get("kind") == "Kustomization"]
files = {os.path.basename(p) for p, d in docs if d.get("kind") != "Kustomization"}
check(len(kust) == 1 and set(kust[0].get("resources", [])) == files, "kustomization.yaml lists every manifest")

dep = (by_kind.get("Deployment") or [{}])[0]
svc = (by_kind.get("Service") or [{}])[0]
pdb = (by_kind.get("PodDisruptionBudget") or [{}])[0]
sec = (by_kind.get("Secret") or [{}])[0]

# --- replicas and updates
check(dep.get("apiVersion") == "apps/v1" and dig(dep, "spec", "replicas") == 2, "apps/v1 Deployment with replicas: 2")
strategy = dig(dep, "spec", "strategy", default={})
check(strategy.get("type") == "RollingUpdate"
      and str(dig(strategy, "rollingUpdate", "maxUnavailable")) == "0"
      and str(dig(strategy, "rollingUpdate", "maxSurge")) == "1",
      "strategy RollingUpdate, maxUnavailable 0, maxSurge 1 (never fewer ready pods during an update)")
labels = dig(dep, "spec", "template", "metadata", "labels", default={})
check(selects(dig(dep, "spec", "selector", "matchLabels", default={}), labels),
      "the Deployment's selector matches its pod labels")
check(pdb.get("apiVersion") == "policy/v1" and dig(pdb, "spec", "minAvailable") == 1
      and "maxUnavailable" not in (pdb.get("spec") or {}), "policy/v1 PodDisruptionBudget with minAvailable: 1")
check(selects(dig(pdb, "spec", "selector", "matchLabels", default={}), labels),
      "the PodDisruptionBudget selects the Deployment's pods")
check(selects(dig(svc, "spec", "selector", default={}), labels), "the Service selects the Deployment's pods")

# --- the container
pod = dig(dep, "spec", "template", "spec", default={})
containers = pod.get("containers") or [{}]
c = containers[0]
check(len(containers) == 1, "one container per pod")
want = {image, image + ":latest"} if ":" not in image.rsplit("/", 1)[-1] else {image}
check(c.get("image") in want, f"the image is what the build produces ({c.get('image')!r} in {sorted(want)})")
ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
check(list(ports.values()) == [3100], "the container exposes 3100 only")


def port_of(ref):
    return ports.get(ref) if isinstance(ref, str) else ref


sp = (dig(svc, "spec", "ports", default=[{}]) or [{}])[0]
check(sp.get("port") == 3100 and port_of(sp.get("targetPort")) == 3100, "the Service maps 3100 to the container's 3100")
for probe, path in (("startupProbe", "/health"), ("readinessProbe", "/health"), ("livenessProbe", "/pricing")):
    get = dig(c, probe, "httpGet", default={})
    why = " (answered without the database: an outage must not restart the pods)" if path == "/pricing" else ""
    check(get.get("path") == path and port_of(get.get("port")) == 3100, f"{probe} GETs {path} on 3100{why}")

# --- security
psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
check(psc.get("runAsNonRoot") is True or csc.get("runAsNonRoot") is True, "runAsNonRoot")
check(psc.get("runAsUser", csc.get("runAsUser")) == uid and psc.get("fsGroup") == uid,
      f"runAsUser and fsGroup are the image's uid {uid}")
check(csc.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
check(csc.get("allowPrivilegeEscalation") is False and "ALL" in dig(csc, "capabilities", "drop", default=[]),
      "no privilege escalation, all capabilities dropped")
check(dig(psc, "seccompProfile", "type") == "RuntimeDefault" and pod.get("automountServiceAccountToken") is False,
      "RuntimeDefault seccomp, no service account token")
mounts = {m.get("mountPath"): m for m in c.get("volumeMounts", [])}
volumes = {v.get("name"): v for v in pod.get("volumes", [])}
check("emptyDir" in volumes.get(dig(mounts, "/tmp", "name"), {}), "/tmp is an emptyDir (writable with a read-only root)")
check("/data" not in mounts and not any("persistentVolumeClaim" in v for v in volumes.values()),
      "no volume at /data (DATA_DIR is unused with DATABASE_URL)")

# --- environment: only variables BLS reads; secrets from the Secret's keys
known = set()
for path in glob.glob("Sources/**/*.swift", recursive=True):
    with open(path, encoding="utf-8") as f:
        known |= set(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', f.read()))
env = {e.get("name"): e for e in c.get("env", [])}
unknown = [n for n in env if n not in known and not (n.endswith("_FILE") and n[:-5] in known)]
check(bool(known) and not unknown, f"every variable is one BLS reads (grep of Sources/; unknown: {unknown})")
check(all(n in env for n in ("NODE_ID", "ILP_ADDRESS")), "NODE_ID and ILP_ADDRESS are set")
secret_name = dig(sec, "metadata", "name")
secret_keys = {**(sec.get("data") or {}), **(sec.get("stringData") or {})}


def secret_key_of(variable):
    """The key of the Secret that VARIABLE_FILE names (through a mounted secret volume) or
    that VARIABLE takes with valueFrom.secretKeyRef; None if neither resolves."""
    file_env = env.get(variable + "_FILE", {})
    target = file_env.get("value", "")
    for mount_path, mount in mounts.items():
        vol = volumes.get(mount.get("name"), {})
        prefix = mount_path.rstrip("/") + "/"
        if "secret" in vol and target.startswith(prefix) and dig(vol, "secret", "secretName") == secret_name:
            rel = target[len(prefix):]
            items = dig(vol, "secret", "items")
            if items is None:
                return rel
            return next((i.get("key") for i in items if i.get("path") == rel), None)
    ref = dig(env.get(variable, {}), "valueFrom", "secretKeyRef", default={})
    return ref.get("key") if ref.get("name") == secret_name else None


for variable in ("DATABASE_URL", "NOSTR_SECRET_KEY"):
    key = secret_key_of(variable)
    by_value = "value" in env.get(variable, {})
    check(key is not None and key in secret_keys and not by_value,
          f"{variable} comes from the Secret {secret_name!r}, key {key!r}, which exists")
check(re.match(r"^postgres(ql)?://", str(secret_keys.get(secret_key_of("DATABASE_URL") or "", ""))) is not None,
      "the Secret's database URL is a postgres:// or postgresql:// URI")
secret_volumes = [v for v in volumes.values() if dig(v, "secret", "secretName") == secret_name]
check(all(dig(v, "secret", "defaultMode", default=0o644) & 0o040 for v in secret_volumes)
      and all(m.get("readOnly") is True for m in mounts.values() if volumes.get(m.get("name")) in secret_volumes),
      "the secret volume is mounted read-only and group-readable (fsGroup)")
