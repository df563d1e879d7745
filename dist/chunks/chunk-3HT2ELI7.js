import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/util/walk.ts
import { readdirSync } from "node:fs";
import { join } from "node:path";
function entriesOf(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
function walk(root, o) {
  const visit = (d, depth) => {
    const entries = o.onError === "throw" ? readdirSync(d, { withFileTypes: true }) : entriesOf(d);
    if (o.sorted) entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    if (o.dir && !o.dir(d, entries, depth)) return;
    for (const e of entries) {
      const p = join(d, e.name);
      if (o.entry(e, p, depth) === true && e.isDirectory()) visit(p, depth + 1);
    }
  };
  visit(root, 0);
}

export {
  walk
};
