// Validates Kubernetes manifests against the Kubernetes API schemas.
//
//   node validate.mjs FILE...
//
// Each YAML document (multi-document files allowed; parsed as YAML 1.1 like the API machinery,
// duplicate keys refused) is looked up by apiVersion and kind in kubernetes-models, whose
// validators are compiled from the Kubernetes OpenAPI definitions: types, enums, formats
// (quantities, int-or-string, int32) and required fields. Those schemas do not forbid
// additional properties, while the API server's strict field validation does (kubectl's
// default since 1.27), so every object is also checked for fields its schema does not have: the
// validator runs on a view of the document that records which properties it reads, and a key the
// schema never read in an object it did look into is an unknown field (a misspelling such as
// hostPid). Objects the schema leaves free-form are not looked into and so not judged.
//
// Prints one line per file, "ok    FILE: KIND NAME, ..." or "FAIL  FILE: KIND NAME: FIELD: error; ...",
// documents apart with " | ",
// and exits 1 when any file failed, 2 on bad usage.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

function pathOf(parts) {
  let s = "";
  for (const p of parts) {
    s += /^\d+$/.test(p) ? `[${p}]` : (s ? "." : "") + p;
  }
  return s || "(document)";
}

/** A view of value whose object property reads are recorded in reads (target -> Set of keys). */
function recording(value, reads, views = new Map()) {
  if (value === null || typeof value !== "object") {
    return value;
  }
  if (views.has(value)) {
    return views.get(value);
  }
  const seen = () => {
    if (!reads.has(value)) reads.set(value, new Set());
    return reads.get(value);
  };
  const view = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string" && !Array.isArray(target)) seen().add(key);
      return recording(Reflect.get(target, key, receiver), reads, views);
    },
    has(target, key) {
      if (typeof key === "string" && !Array.isArray(target)) seen().add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      if (!Array.isArray(target)) seen();
      return Reflect.ownKeys(target);
    },
  });
  views.set(value, view);
  return view;
}

/** Keys of looked-into objects that the schema never read. */
function unknownFields(value, reads, at = []) {
  const out = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...unknownFields(v, reads, [...at, String(i)])));
  } else if (value !== null && typeof value === "object") {
    const read = reads.get(value);
    for (const [k, v] of Object.entries(value)) {
      if (read && !read.has(k)) {
        out.push(`${pathOf([...at, k])}: unknown field (not in the Kubernetes schema)`);
      } else {
        out.push(...unknownFields(v, reads, [...at, k]));
      }
    }
  }
  return out;
}

const modules = new Map();

async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return { error: "apiVersion and kind must be strings" };
  }
  const spec = apiVersion; // "group/version", or "v1" for the core group
  if (!/^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(spec)) {
    return { error: `apiVersion ${apiVersion} is not a Kubernetes group/version` };
  }
  if (!modules.has(spec)) {
    modules.set(spec, await import(`kubernetes-models/${spec}`).catch(() => null));
  }
  const mod = modules.get(spec);
  const model = mod && mod[kind];
  if (!model || model.kind !== kind || model.apiVersion !== apiVersion) {
    return { error: `no Kubernetes schema for apiVersion ${apiVersion} kind ${kind}` };
  }
  return { model };
}

async function validateDocument(obj) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    return { errors: ["not a Kubernetes object (a YAML mapping)"] };
  }
  const name = obj.metadata && obj.metadata.name;
  const ns = obj.metadata && obj.metadata.namespace;
  const what = `${obj.kind} ${ns ? ns + "/" : ""}${name ?? "(no name)"}`;
  const { model, error } = await modelFor(obj.apiVersion, obj.kind);
  if (error) {
    return { errors: [error], what };
  }
  const byPath = new Map(); // one entry per field: a oneOf (quantity, int-or-string) fails in several ways
  const reads = new Map();
  try {
    // the model's own validate(), on the recording view instead of a copy
    model.prototype.validate.call(recording(obj, reads));
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    for (const err of e.errors) {
      const parts = err.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
      let msg = err.message;
      if (err.keyword === "enum") msg += ` (${err.params.allowedValues.join(", ")})`;
      const at = pathOf(parts);
      byPath.set(at, byPath.has(at) ? `${byPath.get(at)}, ${msg}` : msg);
    }
  }
  const errors = [...byPath].map(([at, msg]) => `${at}: ${msg}`);
  errors.push(...unknownFields(obj, reads));
  return { errors, what };
}

async function validateFile(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { ok: false, line: `cannot read: ${e.message}` };
  }
  const parsed = parseAllDocuments(text, { version: "1.1", uniqueKeys: true, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  const found = [];
  const problems = [];
  for (const [i, doc] of docs.entries()) {
    const label = docs.length > 1 ? `document ${i + 1}` : "";
    if (doc.errors && doc.errors.length) {
      problems.push(`${label || "YAML"}: ${doc.errors.map((e) => e.message.split("\n")[0]).join("; ")}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) {
      continue; // an empty document (comments only, or a trailing ---)
    }
    const r = await validateDocument(obj);
    if (!r.errors.length) found.push(r.what);
    if (r.errors.length) {
      const where = r.what ? r.what + (label ? ` (${label})` : "") : label || "document";
      problems.push(`${where}: ${r.errors.join("; ")}`);
    }
  }
  if (!problems.length && !found.length) {
    problems.push("no Kubernetes object in it");
  }
  return problems.length ? { ok: false, line: problems.join(" | ") } : { ok: true, line: found.join(", ") };
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: node validate.mjs FILE...");
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  const r = await validateFile(f);
  if (!r.ok) failed++;
  console.log(`${r.ok ? "ok  " : "FAIL"}  ${f}: ${r.line}`);
}
process.exit(failed ? 1 : 0);
