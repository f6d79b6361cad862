// parse.mjs FILE...: parses each Mermaid diagram with the real `mermaid` package (pinned in package.json)
// under Node, with a jsdom window standing in for the browser (mermaid's sanitiser needs a DOM).
// A file is either a bare diagram or Markdown, whose ```mermaid blocks are parsed one by one.
// Prints one line per diagram and "mermaid: N diagrams parsed, M failed"; exit 1 on any failure or
// when no diagram was found.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const k of ["DOMParser", "Element", "HTMLElement", "Node", "DocumentFragment", "MutationObserver"]) {
  if (!(k in globalThis)) globalThis[k] = dom.window[k];
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

function diagramsOf(file) {
  const text = readFileSync(file, "utf8");
  if (!/\.md$/i.test(file)) return [{ where: file, text }];
  const out = [];
  const re = /^```mermaid[ \t]*\n([\s\S]*?)^```/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    const line = text.slice(0, m.index).split("\n").length;
    out.push({ where: `${file}:${line}`, text: m[1] });
  }
  if (out.length === 0) out.push({ where: file, text: null });
  return out;
}

let parsed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const d of diagramsOf(file)) {
    if (d.text === null) {
      failed++;
      console.log(`FAIL ${d.where}: no \`\`\`mermaid block`);
      continue;
    }
    try {
      const r = await mermaid.parse(d.text);
      if (!r) throw new Error("mermaid.parse returned false");
      parsed++;
      console.log(`ok   ${d.where} (${r.diagramType})`);
    } catch (e) {
      failed++;
      const msg = String(e && e.message ? e.message : e).split("\n").slice(0, 4).join("\n     ");
      console.log(`FAIL ${d.where}: ${msg}`);
    }
  }
}
console.log(`mermaid: ${parsed} diagrams parsed, ${failed} failed`);
process.exit(failed > 0 || parsed === 0 ? 1 : 0);
