import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/toolchain/process.ts
import { spawn } from "node:child_process";

// src/process-group.ts
import { readdirSync, readFileSync } from "node:fs";
var GRACE_MS = 3e3;
var KILL_WAIT_MS = 3e3;
var POLL_MS = 50;
var delay = (ms) => new Promise((r) => setTimeout(r, ms));
function groupMembers(pgid) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members = [];
  for (const p of pids) {
    let stat;
    try {
      stat = readFileSync(`/proc/${p}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && fields[0] !== "X" && Number(fields[2]) === pgid)
      members.push(Number(p));
  }
  return members;
}
function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
  }
}
async function drained(pgid, ms) {
  const deadline = Date.now() + ms;
  for (; ; ) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
}
async function stopGroup(pgid, graceMs = GRACE_MS) {
  signalGroup(pgid, "SIGTERM");
  if (await drained(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await drained(pgid, KILL_WAIT_MS);
}
function stopOnAbort(child, signal) {
  let stopping = null;
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const onAbort = () => {
    const pid = child.pid;
    stopping = pid === void 0 ? exited : Promise.all([stopGroup(pid), exited]).then(() => {
    });
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return {
    stopped: () => stopping,
    dispose: () => signal?.removeEventListener("abort", onAbort)
  };
}
function watchChild(child, signal, on) {
  const abort = stopOnAbort(child, signal);
  let settled = false;
  const settle = (finish) => {
    if (settled) return;
    settled = true;
    abort.dispose();
    finish();
  };
  const settleAborted = () => {
    const stopped = abort.stopped();
    if (!stopped) return false;
    void stopped.then(
      () => settle(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        on.aborted(signal?.reason);
      })
    );
    return true;
  };
  child.on("error", (e) => settle(() => on.error(e)));
  child.on("exit", () => settleAborted());
  child.on("close", (code, exitSignal) => {
    if (settleAborted()) return;
    settle(() => on.close(code, exitSignal));
  });
}

// src/toolchain/process.ts
function run(command, args, opts = {}) {
  const { signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"],
      detached: signal !== void 0
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    watchChild(child, signal, {
      close: (code) => resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      }),
      error: reject,
      aborted: reject
    });
    if (child.stdin) {
      child.stdin.on("error", () => {
      });
      child.stdin.end(opts.input);
    }
  });
}
function tail(text, n = 15) {
  return text.split("\n").filter((l) => l.trim() !== "").slice(-n).join("\n");
}
async function runChecked(command, args, opts = {}) {
  const r = await run(command, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited with ${r.code ?? "a signal"}:
${tail(r.stderr)}`
    );
  }
  return r;
}

// src/toolchain/resolve.ts
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync as existsSync2,
  mkdirSync,
  realpathSync,
  statSync as statSync2,
  writeFileSync
} from "node:fs";
import path2 from "node:path";

// src/nix/escape.ts
var SPECIAL = /[\\"\n\r\t]|\$\{/g;
var REPLACEMENT = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t",
  "${": "\\${"
};
function nixString(value) {
  if (value.includes("\0")) throw new Error("a Nix string cannot hold a NUL byte");
  return `"${value.replace(SPECIAL, (m) => REPLACEMENT[m])}"`;
}
function nixAttr(name) {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !["if", "then", "else", "let", "in", "rec", "with", "inherit", "assert", "or"].includes(name) ? name : nixString(name);
}
function storeName(name) {
  const clean = name.replace(/[^A-Za-z0-9+\-._?=]/g, "_").replace(/^\./, "_");
  return clean.slice(0, 200) || "source";
}

// src/toolchain/spec.ts
import { existsSync, readFileSync as readFileSync2, statSync } from "node:fs";
import path from "node:path";

// node_modules/smol-toml/dist/error.js
function getLineColFromPtr(string, ptr) {
  let lines = string.slice(0, ptr).split(/\r?\n/);
  return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
  let lines = string.split(/\r?\n/);
  let codeblock = "";
  let numberLen = (Math.log10(line + 1) | 0) + 1;
  for (let i = line - 1; i <= line + 1; i++) {
    let l = lines[i - 1];
    if (!l)
      continue;
    codeblock += i.toString().padEnd(numberLen, " ");
    codeblock += ":  ";
    codeblock += l;
    codeblock += "\n";
    if (i === line) {
      codeblock += " ".repeat(numberLen + column + 2);
      codeblock += "^\n";
    }
  }
  return codeblock;
}
var TomlError = class _TomlError extends Error {
  line;
  column;
  codeblock;
  constructor(message, options) {
    const [line, column] = getLineColFromPtr(options.toml, options.ptr);
    const codeblock = makeCodeBlock(options.toml, line, column);
    super(`Invalid TOML document: ${message}

${codeblock}`, options);
    this.line = line;
    this.column = column;
    this.codeblock = codeblock;
  }
  /** @internal */
  static x(message, ctx, ptr) {
    throw new _TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
  }
};

// node_modules/smol-toml/dist/primitive.js
function parseString(ctx) {
  let startPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p++);
  let first = c;
  let isLiteral = c === 39;
  let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
  if (isMultiline) {
    if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 10)
      ctx.p++;
    else if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)
      ctx.p += 2;
  }
  let parsed = "";
  let sliceStart = ctx.p;
  let state = 0;
  for (; ctx.p < ctx.s.length; ctx.p++) {
    c = ctx.s.charCodeAt(ctx.p);
    if (isMultiline && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)) {
      state = state && 3;
    } else if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in strings", ctx);
    } else if ((!state || state === 3) && c === first && (!isMultiline || ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first)) {
      if (isMultiline) {
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
      }
      if (!state) {
        let s = ctx.s.slice(sliceStart, ctx.p);
        parsed = parsed ? parsed + s : s;
      }
      ctx.p += isMultiline ? 3 : 1;
      return parsed;
    } else if (!state) {
      if (!isLiteral && c === 92) {
        parsed += ctx.s.slice(sliceStart, sliceStart = ctx.p);
        state = 1;
      }
    } else if (state === 1) {
      if (c === 120 || c === 117 || c === 85) {
        let errPtr = ctx.p++ - 1;
        let value = 0;
        let len = c === 120 ? 2 : c === 117 ? 4 : 8;
        for (let j = 0; j < len; j++, ctx.p++) {
          let hex = ctx.s.charCodeAt(ctx.p);
          let digit = (
            /* 0-9 */
            hex >= 48 && hex <= 57 ? hex - 48 : (
              /* A-F */
              hex >= 65 && hex <= 70 ? hex - 65 + 10 : (
                /* a-f */
                hex >= 97 && hex <= 102 ? hex - 97 + 10 : -1
              )
            )
          );
          if (digit < 0)
            TomlError.x("invalid non-hex character in unicode escape", ctx);
          value = value << 4 | digit;
        }
        if (value < 0 || value > 1114111 || value >= 55296 && value <= 57343) {
          TomlError.x("invalid unicode escape", ctx, errPtr);
        }
        parsed += String.fromCodePoint(value);
        sliceStart = ctx.p--;
        state = 0;
      } else if (isMultiline && (c === 32 || c === 9)) {
        state = 2;
      } else {
        if (c === 98)
          parsed += "\b";
        else if (c === 116)
          parsed += "	";
        else if (c === 110)
          parsed += "\n";
        else if (c === 102)
          parsed += "\f";
        else if (c === 114)
          parsed += "\r";
        else if (c === 101)
          parsed += "\x1B";
        else if (c === 34)
          parsed += '"';
        else if (c === 92)
          parsed += "\\";
        else
          TomlError.x("unrecognised escape sequence", ctx);
        sliceStart = ctx.p + 1;
        state = 0;
      }
    } else if (c !== 32 && c !== 9) {
      if (state === 2)
        TomlError.x("invalid escape: only line-ending whitespace may be escaped", ctx, sliceStart);
      state = !isLiteral && c === 92 ? 1 : 0;
      sliceStart = ctx.p;
    }
  }
  TomlError.x("unfinished string", ctx, startPtr);
}

// node_modules/smol-toml/dist/date.js
var DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
var TomlDate = class _TomlDate extends Date {
  #hasDate = false;
  #hasTime = false;
  #offset = null;
  constructor(date, fasttype, unsafeDelim) {
    let hasDate = true;
    let hasTime = true;
    let offset = "Z";
    let c;
    if (typeof date === "string") {
      if (fasttype)
        prep: {
          if (fasttype < 3) {
            if (+date.slice(11, 13) > 23) {
              date = "";
              break prep;
            }
            if (fasttype === 2) {
              offset = null;
              date += "Z";
            } else if ((c = date.charCodeAt(date.length - 1)) !== 90 && c !== 122) {
              offset = date.slice(date.length - 6);
            }
            if (unsafeDelim)
              date = date.slice(0, 10) + "T" + date.slice(11);
          } else if (fasttype === 4) {
            date = +date.slice(0, 2) > 23 ? "" : `0000-01-01T${date}Z`;
          }
          hasDate = fasttype !== 4;
          hasTime = fasttype !== 3;
        }
      else {
        let match = date.match(DATE_TIME_RE);
        if (match) {
          if (!match[1]) {
            hasDate = false;
            date = `0000-01-01T${date}`;
          }
          hasTime = !!match[2];
          hasTime && date[10] === " " && (date = date.replace(" ", "T"));
          if (match[2] && +match[2] > 23) {
            date = "";
          } else {
            offset = match[3] || null;
            if (!offset && hasTime)
              date += "Z";
          }
        } else {
          date = "";
        }
      }
    }
    super(date);
    if (!isNaN(this.getTime())) {
      this.#hasDate = hasDate;
      this.#hasTime = hasTime;
      this.#offset = offset;
    }
  }
  isDateTime() {
    return this.#hasDate && this.#hasTime;
  }
  isLocal() {
    return !this.#hasDate || !this.#hasTime || !this.#offset;
  }
  isDate() {
    return this.#hasDate && !this.#hasTime;
  }
  isTime() {
    return this.#hasTime && !this.#hasDate;
  }
  isValid() {
    return this.#hasDate || this.#hasTime;
  }
  toISOString() {
    let iso = super.toISOString();
    if (this.isDate())
      return iso.slice(0, 10);
    if (this.isTime())
      return iso.slice(11, 23);
    if (this.#offset === null)
      return iso.slice(0, -1);
    if (this.#offset === "Z" || this.#offset === "z")
      return iso;
    let offset = +this.#offset.slice(1, 3) * 60 + +this.#offset.slice(4, 6);
    offset = this.#offset[0] === "-" ? offset : -offset;
    let offsetDate = new Date(this.getTime() - offset * 6e4);
    return offsetDate.toISOString().slice(0, -1) + this.#offset;
  }
  static wrapAsOffsetDateTime(jsDate, offset = "Z") {
    let date = new _TomlDate(jsDate);
    date.#offset = offset;
    return date;
  }
  static wrapAsLocalDateTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#offset = null;
    return date;
  }
  static wrapAsLocalDate(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasTime = false;
    date.#offset = null;
    return date;
  }
  static wrapAsLocalTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasDate = false;
    date.#offset = null;
    return date;
  }
};

// node_modules/smol-toml/dist/extract.js
function isDigit(char, base = 10) {
  return base === 16 ? char > 47 && char < 58 || char > 64 && char < 71 || char > 96 && char < 103 : char > 47 && char < 48 + base;
}
function isEndOfValue(char, delim) {
  return char === 32 || char === 9 || char === 10 || char === 13 || // Structure end or next value delimiter
  delim && (char === delim || char === 44) || // Comment
  char === 35;
}
function extractValue(ctx, end) {
  let errPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p);
  if (c === 91 || c === 123) {
    ctx.d-- || TomlError.x("document contains excessively nested structures. aborting.", ctx);
    let value = c === 91 ? parseArray(ctx) : parseInlineTable(ctx);
    ctx.d++;
    return value;
  }
  if (c === 34 || c === 39) {
    return parseString(ctx);
  }
  if (c === 116) {
    if (ctx.s.charCodeAt(++ctx.p) !== 114 || ctx.s.charCodeAt(++ctx.p) !== 117 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, true;
  }
  if (c === 102) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 108 || ctx.s.charCodeAt(++ctx.p) !== 115 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, false;
  }
  if (c === 43 || c === 45) {
    return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 44 - c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 4) === 45 && ctx.s.charCodeAt(ctx.p + 7) === 45) {
    return parseDate(ctx, c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 2) === 58) {
    return parseTime(ctx, c, end);
  }
  return parseNumber(ctx, ctx.p, c, 0, end);
}
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
  let c = startChr;
  let state = 0;
  let hasUnderscores = false;
  if (c === 105) {
    if (ctx.s.charCodeAt(++ctx.p) !== 110 || ctx.s.charCodeAt(++ctx.p) !== 102)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, (sign || 1) / 0;
  }
  if (c === 110) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 110)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, NaN;
  }
  if (c === 48) {
    if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
      return ctx.bi === true ? 0n : 0;
    if (!sign) {
      if (c === 120)
        return parseIntegerBaseN(ctx, startPtr, 16, endChr);
      else if (c === 98)
        return parseIntegerBaseN(ctx, startPtr, 2, endChr);
      else if (c === 111)
        return parseIntegerBaseN(ctx, startPtr, 8, endChr);
    }
    if (c === 46)
      state = 2;
    else if (c === 101 || c === 69)
      state = 4;
    else
      TomlError.x("illegal leading zero", ctx, startPtr);
  } else if (!isDigit(c))
    TomlError.x("invalid value", ctx, startPtr);
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (!state)
      state = 1;
    if (c === 95) {
      if (!(state & 1))
        TomlError.x("illegal underscore", ctx);
      state += 11;
      hasUnderscores = true;
    } else if (state === 1 && c === 46)
      state = 2;
    else if ((state === 1 || state === 3) && (c === 101 || c === 69))
      state = 4;
    else if (state === 4 && (c === 43 || c === 45)) {
      state = 6;
    } else if (!isDigit(c))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (state > 9)
      state -= 11;
    else if (!(state & 1))
      state++;
  }
  if (!state) {
    let val = (startChr - 48) * (sign || 1);
    return ctx.bi === true ? BigInt(val) : val;
  }
  if (!(state & 1))
    TomlError.x("unfinished numeric value", ctx, startPtr);
  let str = ctx.s.slice(startPtr, ctx.p);
  if (hasUnderscores)
    str = str.replaceAll("_", "");
  return state > 1 ? parseFloat(str) : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
  let c, underscore = 1;
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (c === 95) {
      if (underscore & 1)
        TomlError.x("illegal underscore", ctx);
      underscore = 3;
    } else if (!isDigit(c, base))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (underscore & 1)
      underscore--;
  }
  if (underscore & 1)
    TomlError.x("unfinished numeric value", ctx);
  let str = ctx.s.slice(startPtr + 2, ctx.p);
  if (underscore)
    str = str.replaceAll("_", "");
  return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
  if (ctx.bi !== true)
    int: {
      let val = parseInt(str, base);
      if (!Number.isSafeInteger(val)) {
        if (ctx.bi)
          break int;
        TomlError.x("integer value cannot be represented losslessly", ctx, startPtr);
      }
      return val;
    }
  return base === 10 ? BigInt(str) : BigInt((base === 2 ? "0b" : base === 8 ? "0o" : "0x") + str);
}
function parseDate(ctx, c, endChr) {
  let startPtr = ctx.p++, unsafeSeparator;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++))) {
    return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
  }
  ctx.p += 5;
  if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
    TomlError.x("invalid date-time: date part is malformed", ctx, startPtr);
  if (ctx.p >= ctx.s.length || ((c = ctx.s.charCodeAt(ctx.p)) !== 32 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 84 && c !== 116) {
    let t2 = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t2, 3, false, startPtr);
  }
  if (ctx.s.charCodeAt(ctx.p += 3) !== 58)
    TomlError.x("invalid date-time: time part is malformed", ctx, startPtr);
  if (ctx.s.charCodeAt(ctx.p += 3) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  if (c = ctx.s.charCodeAt(ctx.p)) {
    if (c === 90 || c === 122) {
      let t2 = ctx.s.slice(startPtr, ++ctx.p);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, "[+00:00]");
    }
    if (c === 43 || c === 45) {
      let t2 = ctx.s.slice(startPtr, ctx.p += 6);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, !ctx.ld && "[" + ctx.s.slice(ctx.p - 6, ctx.p) + "]");
    }
  }
  let t = ctx.s.slice(startPtr, ctx.p);
  return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
  let start = ctx.p;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
    return parseNumber(ctx, --ctx.p, c, 0, endChr);
  }
  if (ctx.s.charCodeAt(ctx.p += 4) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  let t = ctx.s.slice(start, ctx.p);
  return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
  if (ctx.ld) {
    let date = new TomlDate(str, type, unsafeDelim);
    if (!date.isValid())
      TomlError.x("invalid date", ctx, errPtr);
    return date;
  }
  try {
    if (temporalSuffix)
      str += temporalSuffix;
    switch (type) {
      case 1:
        return Temporal.ZonedDateTime.from(str);
      case 2:
        return Temporal.PlainDateTime.from(str);
      case 3:
        return Temporal.PlainDate.from(str);
      case 4:
        return Temporal.PlainTime.from(str);
    }
  } catch (e) {
    TomlError.x(e instanceof Error ? e.message : "" + e, ctx, errPtr);
  }
}

// node_modules/smol-toml/dist/util.js
function skipComment(ctx) {
  for (; ctx.p < ctx.s.length; ctx.p++) {
    let c = ctx.s.charCodeAt(ctx.p);
    if (c === 10)
      break;
    if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10) {
      ctx.p++;
      break;
    }
    if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in comments", ctx);
    }
  }
}
function skipVoid(ctx, banNewLines, banComments) {
  let c;
  while (ctx.p < ctx.s.length) {
    while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 32 || c === 9 || !banNewLines && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)))
      ctx.p++;
    if (banComments || c !== 35)
      break;
    skipComment(ctx);
  }
}

// node_modules/smol-toml/dist/struct.js
function parseKey(ctx, end = 61) {
  let startPtr;
  let state = 0;
  let parsed = [];
  let sliceStart;
  let c = ctx.s.charCodeAt(startPtr = ctx.p);
  do {
    if (c === end) {
      if (!state)
        TomlError.x("unexpected end of key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      return ctx.p++, parsed;
    } else if (c === 46) {
      if (!state)
        TomlError.x("illegal empty bare key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      state = 0;
    } else if (!state && (c === 34 || c === 39)) {
      if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
        TomlError.x("illegal quoted key: multiline strings are not allowed", ctx);
      parsed.push(parseString(ctx));
      state = 2;
      ctx.p--;
    } else if (c === 32 || c === 9) {
      if (state === 1) {
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
        state = 2;
      }
    } else if (state === 2 || c < 48 && c !== 45 || c > 57 && c < 65 || c > 90 && c < 97 && c !== 95 || c > 122) {
      TomlError.x("illegal character in key", ctx);
    } else if (!state) {
      state = 1;
      sliceStart = ctx.p;
    }
  } while (c = ctx.s.charCodeAt(++ctx.p));
  TomlError.x("incomplete key-value: cannot find end of key", ctx, startPtr);
}
function parseInlineTable(ctx) {
  let startPtr = ctx.p++;
  let res = /* @__PURE__ */ Object.create(null);
  let seen = /* @__PURE__ */ new Set();
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 125) {
      ctx.p++;
      return res;
    }
    let k;
    let t = res;
    let hasOwn = false;
    let errPtr = ctx.p;
    let key = parseKey(ctx);
    for (let i = 0; i < key.length; i++) {
      if (i)
        t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      k = key[i];
      if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== "object" || seen.has(t[k]))) {
        TomlError.x("trying to redefine an already defined value", ctx, errPtr);
      }
      let unsafe = k === "__proto__";
      if (ctx.uk && (unsafe || k === "constructor")) {
        t = ctx.uk !== 1 && TomlError.x("document contains an unsafe property", ctx, errPtr);
        break;
      }
      if (!hasOwn && unsafe) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
      }
    }
    if (hasOwn) {
      TomlError.x("trying to redefine an already defined value", ctx, errPtr);
    }
    skipVoid(ctx, true, true);
    let value = extractValue(
      ctx,
      125
      /* } */
    );
    if (t && typeof (t[k] = value) === "object")
      seen.add(value);
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 125) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished table", ctx, startPtr);
}
function parseArray(ctx) {
  let startPtr = ctx.p++;
  let res = [];
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 93) {
      ctx.p++;
      return res;
    }
    res.push(extractValue(
      ctx,
      93
      /* ] */
    ));
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 93) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished array", ctx, startPtr);
}

// node_modules/smol-toml/dist/parse.js
function peekTable(ctx, key, table, meta, type) {
  let t = table;
  let m = meta;
  let k;
  let hasOwn = false;
  let state;
  for (let i = 0; i < key.length; i++) {
    if (i) {
      t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      m = (state = m[k]).c;
      if (type === 0 && (state.t === 1 || state.t === 2)) {
        return null;
      }
      if (state.t === 2) {
        let l = t.length - 1;
        t = t[l];
        m = m[l].c;
      }
    }
    k = key[i];
    if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 && m[k]?.d) {
      return null;
    }
    if (!hasOwn) {
      let unsafe = k === "__proto__";
      if (ctx.uk && (unsafe || k === "constructor"))
        return false;
      if (unsafe) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
        Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
      }
      m[k] = {
        t: i < key.length - 1 && type === 2 ? 3 : type,
        d: false,
        i: 0,
        c: /* @__PURE__ */ Object.create(null)
      };
    }
  }
  state = m[k];
  if (state.t !== type && !(type === 1 && state.t === 3)) {
    return null;
  }
  if (type === 2) {
    if (!state.d) {
      state.d = true;
      t[k] = [];
    }
    t[k].push(t = /* @__PURE__ */ Object.create(null));
    state.c[state.i++] = state = { t: 1, d: false, i: 0, c: /* @__PURE__ */ Object.create(null) };
  }
  if (state.d) {
    return null;
  }
  state.d = true;
  if (type === 1) {
    t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
  } else if (type === 0 && hasOwn) {
    return null;
  }
  return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
  if (peek === null || ctx.uk === 2)
    TomlError.x(peek === null ? "trying to redefine an already defined table or value" : "document contains an unsafe property", ctx, ptr);
}
function parse(toml, options = {}) {
  let ctx = {
    s: toml,
    p: 0,
    d: options.maxDepth ?? 1e3,
    bi: options.integersAsBigInt ?? false,
    ld: options.useLegacyDate ?? true,
    uk: options.unsafeKeyBehaviour === "throw" ? 2 : options.unsafeKeyBehaviour === "drop" ? 1 : 0
  };
  let res = /* @__PURE__ */ Object.create(null);
  let meta = /* @__PURE__ */ Object.create(null);
  let tmp;
  let skipping = false;
  let tbl = res;
  let m = meta;
  if (toml.charCodeAt(0) === 65279)
    ctx.p++;
  skipVoid(ctx);
  while (ctx.p < toml.length) {
    if (toml.charCodeAt(ctx.p) === 91) {
      let isTableArray = toml.charCodeAt(++ctx.p) === 91;
      tmp = ctx.p += +isTableArray;
      skipping = false;
      let k = parseKey(
        ctx,
        93
        /* ] */
      );
      if (isTableArray) {
        if (toml.charCodeAt(ctx.p) !== 93) {
          TomlError.x("expected end of table array declaration", ctx);
        }
        ctx.p++;
      }
      let p = peekTable(
        ctx,
        k,
        res,
        meta,
        isTableArray ? 2 : 1
        /* Type.EXPLICIT */
      );
      if (!p) {
        validateTablePeek(ctx, p, tmp);
        skipping = true;
      } else {
        m = p[2];
        tbl = p[1];
      }
    } else {
      tmp = ctx.p;
      let k = parseKey(ctx);
      let p = peekTable(
        ctx,
        k,
        tbl,
        m,
        0
        /* Type.DOTTED */
      );
      if (!p && !skipping)
        validateTablePeek(ctx, p, tmp);
      skipVoid(ctx, true, true);
      let v = extractValue(ctx, void 0);
      if (p && !skipping)
        p[1][p[0]] = v;
    }
    skipVoid(ctx, true);
    if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 10 && (tmp !== 13 || toml.charCodeAt(ctx.p + 1) !== 10)) {
      TomlError.x("each key-value declaration must be followed by an end-of-line", ctx);
    }
    skipVoid(ctx);
  }
  return res;
}

// node_modules/smol-toml/dist/stringify.js
var BARE_KEY = /^[a-z0-9-_]+$/i;
var HAS_WELLFORMED = !!"".isWellFormed;
function extendedTypeOf(obj) {
  let type = typeof obj;
  if (type === "object") {
    if (Array.isArray(obj))
      return "array";
    if (typeof obj.getUTCDate === "function" && obj instanceof Date)
      return "date";
    if (globalThis.Temporal) {
      if (obj.until) {
        if (obj instanceof Temporal.ZonedDateTime)
          return "temporal/tz+uc";
        if (obj instanceof Temporal.PlainDateTime || obj instanceof Temporal.PlainDate)
          return "temporal/uc";
        if (obj instanceof Temporal.PlainTime || obj instanceof Temporal.Instant)
          return "temporal";
        if (obj instanceof Temporal.PlainYearMonth)
          return "temporal/x";
      } else if (obj.toPlainDate && obj instanceof Temporal.PlainMonthDay || obj.negated && obj instanceof Temporal.Duration) {
        return "temporal/x";
      }
    }
  }
  return type;
}
function isArrayOfTables(obj) {
  for (let i = 0; i < obj.length; i++) {
    if (extendedTypeOf(obj[i]) !== "object")
      return false;
  }
  return obj.length != 0;
}
function formatWellFormedStringUnchecked(s) {
  return JSON.stringify(s).replaceAll("\x7F", "\\u007f");
}
function formatString(s) {
  return formatWellFormedStringUnchecked(HAS_WELLFORMED ? s.toWellFormed() : s);
}
function formatKey(s) {
  if (BARE_KEY.test(s))
    return s;
  if (HAS_WELLFORMED && !s.isWellFormed())
    throw new RangeError("key contains illegal lone surrogates");
  return formatWellFormedStringUnchecked(s);
}
function stringifyValue(val, type, depth, numberAsFloat, strictTemporal) {
  if (depth === 0) {
    throw new Error("Could not stringify the object: maximum object depth exceeded");
  }
  switch (type) {
    // @ts-expect-error -- intentional fallthrough case
    case "number":
      if (isNaN(val))
        return "nan";
      if (val === Infinity)
        return "inf";
      if (val === -Infinity)
        return "-inf";
      if (Number.isInteger(val) && (numberAsFloat || !Number.isSafeInteger(val)))
        return val.toFixed(1);
    case "bigint":
    case "boolean":
    case "temporal":
      return val.toString();
    case "string":
      return formatString(val);
    case "date":
      if (isNaN(val.getTime()))
        throw new TypeError("cannot serialize invalid date");
      return val.toISOString();
    case "object":
      return stringifyInlineTable(val, depth, numberAsFloat, strictTemporal);
    case "array":
      return stringifyArray(val, depth, numberAsFloat, strictTemporal);
    // @ts-expect-error -- intentional fallthrough case
    case "temporal/tz+uc":
      if (strictTemporal) {
        let tz = val.timeZoneId;
        let tzc = tz.charCodeAt(0);
        if (
          // Classic offset
          tzc !== 43 && tzc !== 45 && // Fast pre-check pass; see below for the actually accepted values
          (tzc !== 85 && tzc !== 71 && tzc !== 90 && tzc !== 69 || // UTC and its aliases; Temporal implementations don't all canonicalise unfortunately
          tz !== "UTC" && tz !== "UCT" && tz !== "Universal" && tz !== "Zulu" && // GMT is a TZ but it's for all intents and purposes equivalent to UTC. Safe to downgrade.
          !tz.startsWith("GMT") && tz !== "Greenwich" && // Etc/* are all safe to downgrade to offset (either UTC, GMT, or offset)
          !tz.startsWith("Etc/"))
        ) {
          throw new TypeError("Temporal objects with an IANA timezone are not allowed in Temporal strict mode");
        }
      }
    case "temporal/uc":
      if (strictTemporal && val.calendarId !== "iso8601")
        throw new TypeError("Temporal objects with a non-default calendar are not allowed in Temporal strict mode");
      return val.toString({
        calendarName: "never",
        timeZoneName: "never"
      });
    case "temporal/x":
      throw new TypeError("Unsupported " + val[Symbol.toStringTag]);
  }
}
function stringifyInlineTable(obj, depth, numberAsFloat, strictTemporal) {
  let keys = Object.keys(obj);
  if (keys.length === 0)
    return "{}";
  let res = "{ ";
  for (let i = 0; i < keys.length; i++) {
    let k = keys[i];
    if (i)
      res += ", ";
    res += formatKey(k) + " = " + stringifyValue(obj[k], extendedTypeOf(obj[k]), depth - 1, numberAsFloat, strictTemporal);
  }
  return res + " }";
}
function stringifyArray(array, depth, numberAsFloat, strictTemporal) {
  if (array.length === 0)
    return "[]";
  let res = "[ ";
  for (let i = 0; i < array.length; i++) {
    if (i)
      res += ", ";
    if (array[i] === null || array[i] === void 0) {
      throw new TypeError("arrays cannot contain null or undefined values");
    }
    res += stringifyValue(array[i], extendedTypeOf(array[i]), depth - 1, numberAsFloat, strictTemporal);
  }
  return res + " ]";
}
function stringifyArrayTable(array, key, depth, numberAsFloat, strictTemporal) {
  if (depth === 0) {
    throw new Error("Could not stringify the object: maximum object depth exceeded");
  }
  let res = "";
  for (let i = 0; i < array.length; i++) {
    res += `${res && "\n"}[[${key}]]
`;
    res += stringifyTable(0, array[i], key, depth, numberAsFloat, strictTemporal);
  }
  return res;
}
function stringifyTable(tableKey, obj, prefix, depth, numberAsFloat, strictTemporal) {
  if (depth === 0) {
    throw new Error("Could not stringify the object: maximum object depth exceeded");
  }
  let preamble = "";
  let tables = "";
  let keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    let k = keys[i];
    if (obj[k] !== null && obj[k] !== void 0) {
      let type = extendedTypeOf(obj[k]);
      if (type === "symbol" || type === "function") {
        throw new TypeError(`cannot serialize values of type '${type}'`);
      }
      let key = formatKey(k);
      if (type === "array" && isArrayOfTables(obj[k])) {
        tables += (tables && "\n") + stringifyArrayTable(obj[k], prefix ? `${prefix}.${key}` : key, depth - 1, numberAsFloat, strictTemporal);
      } else if (type === "object") {
        let tblKey = prefix ? `${prefix}.${key}` : key;
        tables += (tables && "\n") + stringifyTable(tblKey, obj[k], tblKey, depth - 1, numberAsFloat, strictTemporal);
      } else {
        preamble += key;
        preamble += " = ";
        preamble += stringifyValue(obj[k], type, depth, numberAsFloat, strictTemporal);
        preamble += "\n";
      }
    }
  }
  if (tableKey && (preamble || !tables))
    preamble = preamble ? `[${tableKey}]
${preamble}` : `[${tableKey}]`;
  return preamble && tables ? `${preamble}
${tables}` : preamble || tables;
}
function stringify(obj, { maxDepth = 1e3, numbersAsFloat = false, strictTemporal = false } = {}) {
  if (extendedTypeOf(obj) !== "object") {
    throw new TypeError("stringify can only be called with an object");
  }
  let str = stringifyTable(0, obj, "", maxDepth, numbersAsFloat, strictTemporal);
  if (str[str.length - 1] !== "\n")
    return str + "\n";
  return str;
}

// src/toolchain/spec.ts
var ToolchainInputError = class extends Error {
  name = "ToolchainInputError";
};
var TOOLCHAIN_ACCEPTS = "stable, beta, nightly, a version (1.83.0, or 1.83 for its newest patch release), nightly-YYYY-MM-DD, beta-YYYY-MM-DD, stage0, system, or a path to a rust-toolchain or rust-toolchain.toml file";
var VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/;
var DATED = /^(nightly|beta|stable)-(\d{4})-(\d{2})-(\d{2})$/;
var HOST_SUFFIX = /^(stable|beta|nightly|\d+\.\d+(?:\.\d+)?|(?:nightly|beta)-\d{4}-\d{2}-\d{2})-([a-z][a-z0-9_]*-[a-z0-9_]+-.+)$/;
var COMPONENT = /^[a-z][a-z0-9-]*$/;
var TARGET = /^[A-Za-z0-9_.-]+$/;
var PROFILES = ["minimal", "default", "complete"];
function parseToolchain(value, opts) {
  const raw = (value ?? "").trim();
  const targets = checkNames(opts.targets ?? [], TARGET, "targets", "target triples");
  const components = checkNames(
    opts.components ?? [],
    COMPONENT,
    "components",
    "rust-overlay component names such as rust-src or llvm-tools"
  );
  if (raw === "" || raw === "auto") return auto(opts, targets, components);
  const bad = (reason2) => new ToolchainInputError(
    `Invalid toolchain input "${raw}": ${reason2}. It accepts ${TOOLCHAIN_ACCEPTS}`
  );
  if (raw === "system") {
    const warnings = components.length > 0 ? [
      `components (${components.join(", ")}) are ignored with toolchain: system; add them with rustup instead`
    ] : [];
    return { kind: "system", components: [], targets, warnings };
  }
  if (raw === "stage0") return stage0(opts.sourceDir, targets, components, bad);
  if (looksLikePath(raw)) {
    const file = path.resolve(opts.cwd ?? process.cwd(), raw);
    if (!existsSync(file)) throw bad(`the file ${file} does not exist`);
    if (!statSync(file).isFile()) throw bad(`${file} is not a file`);
    return toolchainFile(file, targets, components, bad);
  }
  const reason = channelProblem(raw);
  if (reason !== null) throw bad(reason);
  return {
    kind: "nix",
    origin: "channel",
    channel: raw,
    profile: "default",
    components,
    targets,
    warnings: []
  };
}
function channelProblem(channel) {
  if (channel === "stable" || channel === "beta" || channel === "nightly") return null;
  const v = VERSION.exec(channel);
  if (v) {
    if (v[1] !== "1") return `Rust versions start with 1. (got major version ${v[1]})`;
    return null;
  }
  const host = HOST_SUFFIX.exec(channel);
  if (host) {
    return `a host triple in the name (${host[2]}) is not supported; the host is the runner's, so use ${host[1]}`;
  }
  const d = DATED.exec(channel);
  if (d) {
    const [, kind, y, m, day] = d;
    if (kind === "stable") return "stable releases have no date; use a version such as 1.83.0";
    if (!isCalendarDate(Number(y), Number(m), Number(day))) {
      return `${y}-${m}-${day} is not a calendar date`;
    }
    return null;
  }
  if (/^\d+(\.\d+)*$/.test(channel) || /^\d+\.\d+\.\d+[-+]/.test(channel)) {
    return "a version is MAJOR.MINOR or MAJOR.MINOR.PATCH, without pre-release or build suffixes";
  }
  if (/^(nightly|beta)-/.test(channel))
    return "a dated channel is nightly-YYYY-MM-DD or beta-YYYY-MM-DD";
  return "it is not a channel, a version, stage0, system or an existing file path";
}
function bootstrapCompilerProblem(source, compiler) {
  const s = parseVersion(source);
  const c = parseVersion(compiler);
  if (!s || !c) return null;
  if (s.major === c.major && (s.minor === c.minor || s.minor === c.minor + 1)) return null;
  return `bootstrap builds ${source} only with a ${s.major}.${s.minor - 1}.x or ${s.major}.${s.minor}.x compiler, not ${compiler}`;
}
function flakeSpec(spec, fileName) {
  if (spec.origin === "file" && fileName) {
    return {
      profile: spec.profile,
      components: spec.components,
      targets: spec.targets,
      toolchainFile: fileName
    };
  }
  return {
    channel: spec.channel,
    profile: spec.profile,
    components: spec.components,
    targets: spec.targets
  };
}
function auto(opts, targets, components) {
  const src = opts.sourceDir;
  if (existsSync(path.join(src, "src", "stage0")) || existsSync(path.join(src, "src", "stage0.json"))) {
    return stage0(
      src,
      targets,
      components,
      (reason) => new ToolchainInputError(
        `Invalid toolchain input (auto: stage0 of ${src}): ${reason}. Set toolchain to one of ${TOOLCHAIN_ACCEPTS}`
      )
    );
  }
  for (const name of ["rust-toolchain", "rust-toolchain.toml"]) {
    const file = path.join(src, name);
    if (existsSync(file) && statSync(file).isFile()) {
      return toolchainFile(
        file,
        targets,
        components,
        (reason) => new ToolchainInputError(
          `Invalid toolchain input (auto: ${file}): ${reason}. Set toolchain to one of ${TOOLCHAIN_ACCEPTS}`
        )
      );
    }
  }
  return {
    kind: "nix",
    origin: "channel",
    channel: "stable",
    profile: "default",
    components,
    targets,
    warnings: []
  };
}
function stage0(sourceDir, targets, components, bad) {
  const info = readStage0(sourceDir, bad);
  let channel;
  if (info.compilerVersion === "beta" || info.compilerVersion === "nightly") {
    if (info.compilerDate === null) {
      throw bad(`${info.file} has compiler_version=${info.compilerVersion} but no compiler_date`);
    }
    channel = `${info.compilerVersion}-${info.compilerDate}`;
    const problem = channelProblem(channel);
    if (problem) throw bad(`${info.file} has compiler_date=${info.compilerDate}: ${problem}`);
  } else if (/^\d+\.\d+\.\d+$/.test(info.compilerVersion)) {
    channel = info.compilerVersion;
    const problem = bootstrapCompilerProblem(info.sourceVersion, channel);
    if (problem) {
      throw bad(
        `${info.file} names compiler ${channel} but src/version is ${info.sourceVersion}; ${problem}`
      );
    }
  } else {
    throw bad(
      `${info.file} has compiler_version=${info.compilerVersion}; expected beta, nightly or X.Y.Z`
    );
  }
  return {
    kind: "nix",
    origin: "stage0",
    channel,
    profile: "minimal",
    components,
    targets,
    stage0: info,
    warnings: []
  };
}
function readStage0(sourceDir, bad) {
  const kv = path.join(sourceDir, "src", "stage0");
  const json = path.join(sourceDir, "src", "stage0.json");
  let version;
  let date;
  let file;
  if (existsSync(kv)) {
    file = kv;
    for (const line of readFileSync2(kv, "utf8").split("\n")) {
      const t = line.trim();
      if (t === "" || t.startsWith("#")) continue;
      const eq = t.indexOf("=");
      if (eq < 0) continue;
      const key = t.slice(0, eq).trim();
      const val = t.slice(eq + 1).trim();
      if (key === "compiler_version") version = val;
      if (key === "compiler_date") date = val;
    }
  } else if (existsSync(json)) {
    file = json;
    try {
      const doc = JSON.parse(readFileSync2(json, "utf8"));
      if (typeof doc.compiler?.version === "string") version = doc.compiler.version;
      if (typeof doc.compiler?.date === "string") date = doc.compiler.date;
    } catch (e) {
      throw bad(`${json} is not valid JSON (${e.message})`);
    }
  } else {
    throw bad(`${kv} does not exist, so there is no stage0 compiler to use`);
  }
  if (version === void 0) throw bad(`${file} has no compiler_version`);
  const versionFile = path.join(sourceDir, "src", "version");
  if (!existsSync(versionFile)) {
    throw bad(`${versionFile} does not exist; bootstrap reads the version it builds from it`);
  }
  const sourceVersion = readFileSync2(versionFile, "utf8").trim();
  if (!parseVersion(sourceVersion)) {
    throw bad(`${versionFile} holds "${sourceVersion}", not a version such as 1.84.0`);
  }
  return { compilerVersion: version, compilerDate: date ?? null, sourceVersion, file };
}
function toolchainFile(file, targets, components, bad) {
  let text;
  try {
    text = readFileSync2(file, "utf8");
  } catch {
    throw bad(`${file} cannot be read`);
  }
  const fields = parseToolchainFile(file, text, bad);
  const problem = channelProblem(fields.channel);
  if (problem) throw bad(`${file} sets channel "${fields.channel}": ${problem}`);
  return {
    kind: "nix",
    origin: "file",
    channel: fields.channel,
    profile: fields.profile ?? "default",
    components: union(fields.components, components),
    targets: union(fields.targets, targets),
    file,
    warnings: []
  };
}
function parseToolchainFile(file, text, bad) {
  const legacy = text.trim();
  if (legacy !== "" && !/[\s=[\]"']/.test(legacy)) {
    return { channel: legacy, profile: null, components: [], targets: [] };
  }
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    const first = e.message.split("\n")[0];
    throw bad(`${file} is neither a one-word channel nor valid TOML (${first})`);
  }
  const tc = doc.toolchain;
  if (typeof tc !== "object" || tc === null || Array.isArray(tc)) {
    throw bad(`${file} has no [toolchain] table`);
  }
  const t = tc;
  if (t.path !== void 0) {
    throw bad(`${file} sets toolchain.path, which is not supported; use toolchain: system instead`);
  }
  if (typeof t.channel !== "string") throw bad(`${file} has no toolchain.channel string`);
  const list = (key) => {
    const v = t[key];
    if (v === void 0) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      throw bad(`${file}: toolchain.${key} must be an array of strings`);
    }
    return v;
  };
  let profile = null;
  if (t.profile !== void 0) {
    if (typeof t.profile !== "string" || !PROFILES.includes(t.profile)) {
      throw bad(`${file}: toolchain.profile must be minimal, default or complete`);
    }
    profile = t.profile;
  }
  return { channel: t.channel, profile, components: list("components"), targets: list("targets") };
}
function looksLikePath(value) {
  const base = path.basename(value);
  return value.includes("/") || base === "rust-toolchain" || base === "rust-toolchain.toml" || value.endsWith(".toml");
}
function checkNames(names, re, input, what) {
  for (const n of names) {
    if (!re.test(n)) {
      throw new ToolchainInputError(`Invalid ${input} input "${n}": it accepts ${what}`);
    }
  }
  return union(names, []);
}
function union(a, b) {
  return [.../* @__PURE__ */ new Set([...a, ...b])];
}
function parseVersion(v) {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}
function isCalendarDate(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

// src/toolchain/resolve.ts
var NIX_FEATURES = ["--extra-experimental-features", "nix-command flakes"];
function currentNixSystem(arch = process.arch) {
  if (arch === "x64") return "x86_64-linux";
  if (arch === "arm64") return "aarch64-linux";
  throw new Error(`rust-bootstrap-nix runs on x86_64 and aarch64 Linux, not on ${arch}`);
}
async function resolveToolchain(spec, opts) {
  if (spec.kind === "system") return resolveSystemToolchain({ env: opts.env, cwd: opts.cwd });
  const system = opts.system ?? currentNixSystem();
  const ref = writeToolchainFlake(opts.workDir, spec, { nixFlakeDir: opts.nixFlakeDir, system });
  const installable = `${ref}#packages.${system}.toolchain`;
  const out = await buildOutPath(installable, opts);
  const resolved = await describeToolchain(
    out,
    { rustc: `${out}/bin/rustc`, cargo: `${out}/bin/cargo`, sysroot: out },
    opts.env
  );
  if (spec.stage0) {
    const problem = bootstrapCompilerProblem(spec.stage0.sourceVersion, resolved.version);
    if (problem) {
      throw new Error(
        `the stage0 compiler (${spec.channel}) is rustc ${resolved.version}, but src/version is ${spec.stage0.sourceVersion}: ${problem}`
      );
    }
  }
  return resolved;
}
function writeToolchainFlake(dir, spec, opts) {
  mkdirSync(dir, { recursive: true });
  let fileName;
  if (spec.origin === "file" && spec.file) {
    fileName = path2.basename(spec.file);
    copyFileSync(spec.file, path2.join(dir, fileName));
  }
  const json = flakeSpec(spec, fileName);
  writeFileSync(path2.join(dir, "spec.json"), `${JSON.stringify(json, null, 2)}
`);
  writeFileSync(path2.join(dir, "flake.nix"), wrapperFlake(opts.nixFlakeDir, opts.system));
  return pathRef(dir);
}
function pathRef(dir) {
  const abs = path2.resolve(dir);
  if (/[\s?#%]/.test(abs)) {
    throw new Error(
      `Nix cannot use ${abs} as a flake: its path has a space, ?, # or %; move it (or the action) to a plainer path`
    );
  }
  return `path:${abs}`;
}
function wrapperFlake(nixFlakeDir, system) {
  return `# Generated by rust-bootstrap-nix: selects the toolchain spec.json names.
{
  inputs.rust-bootstrap-nix.url = ${nixString(pathRef(nixFlakeDir))};
  outputs =
    { self, rust-bootstrap-nix }:
    let
      raw = builtins.fromJSON (builtins.readFile ./spec.json);
      spec =
        raw
        // (if raw ? toolchainFile then { toolchainFile = ./. + "/\${raw.toolchainFile}"; } else { });
    in
    {
      packages.${system}.toolchain = rust-bootstrap-nix.lib.toolchainFor {
        system = "${system}";
        inherit spec;
      };
    };
}
`;
}
async function buildOutPath(installable, opts) {
  const link = opts.gcRootDir ? ["--out-link", path2.join(opts.gcRootDir, "toolchain")] : ["--no-link"];
  if (opts.gcRootDir) mkdirSync(opts.gcRootDir, { recursive: true });
  const args = [
    ...NIX_FEATURES,
    "build",
    "--json",
    ...link,
    "--no-write-lock-file",
    installable,
    ...opts.nixArgs ?? []
  ];
  const r = await run(opts.nix ?? "nix", args, { env: opts.env, signal: opts.signal });
  if (r.code !== 0)
    throw new Error(`nix build ${installable} failed:
${nixFailureReason(r.stderr)}`);
  return outPathOf(r.stdout);
}
function nixFailureReason(stderr) {
  const lines = stderr.split("\n");
  const ours = lines.filter((l) => l.includes("rust-bootstrap-nix:"));
  if (ours.length > 0) return ours.map((l) => l.trim()).join("\n");
  const download = lines.find((l) => /^error: unable to download '([^']+)'/.test(l));
  if (download) {
    return `${download.replace(/^error: /, "")}
Nix could not fetch a flake input or a binary: the runner needs network access to GitHub and cache.nixos.org (offline, use \`toolchain: system\`).`;
  }
  const noise = /^(warning: .*retrying in \d+ ms|• (Added|Updated) input|\s{4}'?(github|path|follows))/;
  return tail(lines.filter((l) => !noise.test(l)).join("\n"));
}
function outPathOf(json) {
  const parsed = JSON.parse(json);
  const out = parsed[0]?.outputs?.out;
  if (!out) throw new Error(`nix build --json printed no out path: ${json.slice(0, 200)}`);
  return out;
}
async function resolveSystemToolchain(opts = {}) {
  const env = opts.env ?? process.env;
  const onPath = whichIn("rustc", env);
  if (!onPath) {
    throw new Error("toolchain: system, but there is no rustc on PATH");
  }
  const sysroot = (await runChecked(onPath, ["--print", "sysroot"], { env, cwd: opts.cwd })).stdout.trim();
  const inSysroot = (name) => {
    const p = path2.join(sysroot, "bin", name);
    return existsSync2(p) ? p : null;
  };
  const rustc = inSysroot("rustc") ?? realpathSync(onPath);
  let cargo = inSysroot("cargo");
  if (!cargo) {
    const c = whichIn("cargo", env);
    if (!c)
      throw new Error(`toolchain: system, but there is no cargo in ${sysroot}/bin or on PATH`);
    cargo = realpathSync(c);
    if (path2.basename(cargo).startsWith("rustup")) {
      cargo = (await runChecked("rustup", ["which", "cargo"], { env, cwd: opts.cwd })).stdout.trim();
    }
  }
  return describeToolchain("system", { rustc, cargo, sysroot }, env);
}
async function describeToolchain(toolchain, paths, env) {
  for (const p of [paths.rustc, paths.cargo]) {
    if (!existsSync2(p)) throw new Error(`the toolchain ${toolchain} has no ${p}`);
  }
  const verbose = (await runChecked(paths.rustc, ["-vV"], { env })).stdout;
  const field = (k) => new RegExp(`^${k}: (.+)$`, "m").exec(verbose)?.[1]?.trim() ?? "";
  return { toolchain, ...paths, version: field("release"), host: field("host"), verbose };
}
function whichIn(tool, env = process.env) {
  for (const dir of (env.PATH ?? "").split(path2.delimiter)) {
    if (dir === "") continue;
    const p = path2.join(dir, tool);
    if (isExecutableFile(p)) return p;
  }
  return null;
}
function isExecutableFile(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync2(p).isFile();
  } catch {
    return false;
  }
}
async function addSysrootToStore(sysroot, opts) {
  const name = opts.name ?? "rust-sysroot";
  if (!/^[A-Za-z0-9+\-._?=]+$/.test(name)) throw new Error(`invalid store path name ${name}`);
  const expr = `let root = builtins.getEnv "RBN_SYSROOT"; n = builtins.stringLength root; in
    builtins.path {
      path = /. + root;
      name = builtins.getEnv "RBN_NAME";
      filter = p: type:
        builtins.elem
          (builtins.head (builtins.split "/" (builtins.substring (n + 1) (builtins.stringLength p) p)))
          [ "bin" "lib" ];
    }`;
  const env = { ...opts.env ?? process.env, RBN_SYSROOT: path2.resolve(sysroot), RBN_NAME: name };
  const nix = opts.nix ?? "nix";
  const r = await runChecked(
    nix,
    [...NIX_FEATURES, "eval", "--impure", "--raw", "--expr", expr, ...opts.nixArgs ?? []],
    { env, signal: opts.signal }
  );
  const storePath = r.stdout.trim();
  mkdirSync(opts.gcRootDir, { recursive: true });
  await runChecked(
    nixStoreNear(nix, env),
    ["--realise", storePath, "--add-root", path2.join(opts.gcRootDir, name)],
    { env, signal: opts.signal }
  );
  return { storePath, rustc: `${storePath}/bin/rustc`, cargo: `${storePath}/bin/cargo` };
}
function nixStoreNear(nix, env) {
  if (nix.includes("/")) return path2.join(path2.dirname(nix), "nix-store");
  const found = whichIn("nix-store", env);
  if (!found) throw new Error("nix-store is not on PATH");
  return found;
}

export {
  TomlError,
  parse,
  stringify,
  ToolchainInputError,
  parseToolchain,
  bootstrapCompilerProblem,
  flakeSpec,
  nixString,
  nixAttr,
  storeName,
  watchChild,
  run,
  tail,
  runChecked,
  NIX_FEATURES,
  currentNixSystem,
  resolveToolchain,
  pathRef,
  buildOutPath,
  resolveSystemToolchain,
  whichIn,
  isExecutableFile,
  addSysrootToStore
};
