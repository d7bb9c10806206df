// Render a CSL-JSON file with a CSL style through citeproc-js; print one entry a line, as text.
// Usage: node render_citeprocjs.js STYLE.csl ITEMS.json   (CITEPROC_JS: path of the package)
// Locale: the en-US terms citeproc-js needs are built from the style's fallbacks below.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require(process.env.CITEPROC_JS || "citeproc");

const [styleFile, itemsFile] = process.argv.slice(2);
const style = fs.readFileSync(styleFile, "utf8");
const items = JSON.parse(fs.readFileSync(itemsFile, "utf8"));
// The official style is CSL 1.0 and reads the event's name as `event` (CSL 1.0.2 spells it
// `event-title`, which citeproc-js 2.4 does not map back): give it the 1.0 spelling too.
for (const item of items) {
  if (item["event-title"] && !item.event) item.event = item["event-title"];
}
const byId = Object.fromEntries(items.map((item) => [item.id, item]));
const localeFile = process.env.CSL_LOCALE;

const sys = {
  retrieveLocale: (lang) => (localeFile ? fs.readFileSync(localeFile, "utf8") : null),
  retrieveItem: (id) => byId[id],
};
const out = [];
for (const item of items) {
  // each item alone, as citeport renders it
  const engine = new CSL.Engine(sys, style, "en-US");
  engine.setOutputFormat("text");
  engine.updateItems([item.id]);
  const [, entries] = engine.makeBibliography();
  out.push(entries[0].trim().replace(/\s+/g, " "));
}
process.stdout.write(JSON.stringify(out) + "\n");
