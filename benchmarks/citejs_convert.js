#!/usr/bin/env node
// citation-js as a command-line converter, for benchmarks/bench_peers.py.
//
//   node benchmarks/citejs_convert.js MODULES_DIR FROM TO INPUT OUTPUT
//
// MODULES_DIR is the node_modules directory holding @citation-js/core and the bibtex, ris and
// csl plugins (e.g. /tmp/citejs/node_modules after
// `npm install --prefix /tmp/citejs @citation-js/core @citation-js/plugin-bibtex
//  @citation-js/plugin-ris @citation-js/plugin-csl`).
// FROM is bibtex | ris | csljson; TO is bibtex | ris | csljson. The whole file is read, parsed
// with citation-js's own input parser for that format (forced, no type guessing), and written
// with its output formatter. The number of records read and written goes to stderr
// ("citation-js: N records"); the benchmark also counts the entries in the output file, so a
// converter that silently drops records shows in the table.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [modules, from, to, input, output] = process.argv.slice(2);
if (!output) {
  process.stderr.write("usage: citejs_convert.js MODULES_DIR FROM TO INPUT OUTPUT\n");
  process.exit(2);
}
const load = createRequire(path.join(path.resolve(modules), "_"));
const { Cite } = load("@citation-js/core");
load("@citation-js/plugin-bibtex");
load("@citation-js/plugin-ris");
load("@citation-js/plugin-csl");

const FORCE = { bibtex: "@biblatex/text", ris: "@ris/file" };

const text = fs.readFileSync(input, "utf8");
let cite;
if (from === "csljson") {
  cite = new Cite(JSON.parse(text), { forceType: "@csl/list+object" });
} else if (FORCE[from]) {
  cite = new Cite(text, { forceType: FORCE[from] });
} else {
  process.stderr.write(`unknown input format ${from}\n`);
  process.exit(2);
}

let out;
if (to === "bibtex") {
  out = cite.format("bibtex");
} else if (to === "ris") {
  out = cite.format("ris");
} else if (to === "csljson") {
  out = cite.format("data", { format: "text" });
} else {
  process.stderr.write(`unknown output format ${to}\n`);
  process.exit(2);
}
fs.writeFileSync(output, out);
process.stderr.write(`citation-js: ${cite.data.length} records\n`);
