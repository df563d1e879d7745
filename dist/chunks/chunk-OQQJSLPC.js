import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  defaultSccacheDir,
  firstCompileError,
  nixJsonLog,
  publicKeyOf,
  pushToCache,
  readSccacheStats,
  sccacheBuildEnv,
  secretKeyProblem,
  startSccache,
  stopSccache,
  storeUrlProblem,
  stripAnsi,
  substituterArgs,
  writeSecretFile
} from "./chunk-CNTKYGR7.js";
import {
  NixInstallError,
  defaultProfileBins,
  findNix,
  isExecutableFile,
  mayAccess,
  runStreaming,
  whichIn
} from "./chunk-FI4DFNK2.js";
import {
  nixConfProblem,
  nixConfSets,
  nixConfigEnv,
  runnerDirs,
  runnerTemp
} from "./chunk-6IOJG2ZW.js";
import {
  NIX_CACHE,
  SCCACHE,
  loadCacheState,
  saveCacheState,
  savePostConfig,
  savePushDrvs,
  saveSshKeyDir
} from "./chunk-DHZPW5VN.js";
import {
  walk
} from "./chunk-3HT2ELI7.js";
import {
  METADATA_FILES,
  MetadataProblem,
  assetsDir,
  isWithin,
  metadataPath,
  nixFlakeDir,
  readConfigToml,
  readRecordsAndPlan,
  readableDirProblem,
  readableFileProblem,
  validate,
  writableDirProblem,
  writeConfigToml,
  writeRecordsAndPlan,
  writeSummary
} from "./chunk-7FX4F3PX.js";
import {
  NIX_FEATURES,
  buildOutPath,
  currentNixSystem,
  pathRef,
  validPaths
} from "./chunk-BVV6BGTK.js";
import {
  run,
  runChecked,
  tail
} from "./chunk-NZOH6GOL.js";
import {
  __commonJS,
  __toESM
} from "./chunk-5EWROA6M.js";

// node_modules/shell-quote/quote.js
var require_quote = __commonJS({
  "node_modules/shell-quote/quote.js"(exports, module) {
    "use strict";
    var OPS = (
      /** @type {const} */
      [
        "||",
        "&&",
        ";;&",
        ";;",
        ";&",
        "|&",
        "<(",
        ">(",
        "<<<",
        "<<-",
        "<<",
        ">>",
        ">&",
        ">|",
        "&>>",
        "&>",
        "<&",
        "<>",
        "&",
        ";",
        "(",
        ")",
        "|",
        "<",
        ">"
      ]
    );
    var LINE_TERMINATORS = /[\n\r\u2028\u2029]/;
    var GLOB_SHELL_SPECIAL = /[\s#!"$&'():;<=>@\\^`|~]/g;
    module.exports = function quote(xs) {
      var sawComment = false;
      return xs.map(function(s) {
        if (sawComment && typeof s === "string" && LINE_TERMINATORS.test(s)) {
          throw new TypeError("a token after a `comment` must not contain line terminators");
        }
        if (s === "") {
          return (
            /** @type {const} */
            "''"
          );
        }
        if (s && typeof s === "object") {
          if ("op" in s && s.op === "glob") {
            if (typeof s.pattern !== "string") {
              throw new TypeError("glob token requires a string `pattern`");
            }
            if (LINE_TERMINATORS.test(s.pattern)) {
              throw new TypeError("glob `pattern` must not contain line terminators");
            }
            if (s.pattern === "") {
              return (
                /** @type {const} */
                "''"
              );
            }
            return s.pattern.replace(GLOB_SHELL_SPECIAL, "\\$&");
          }
          if ("op" in s && typeof s.op === "string") {
            if (OPS.indexOf(s.op) < 0) {
              throw new TypeError("invalid `op` value: " + JSON.stringify(s.op));
            }
            return s.op.replace(/[\s\S]/g, "\\$&");
          }
          if ("comment" in s && typeof s.comment === "string") {
            if (LINE_TERMINATORS.test(s.comment)) {
              throw new TypeError("`comment` must not contain line terminators");
            }
            sawComment = true;
            return "#" + s.comment;
          }
          throw new TypeError("unrecognized object token shape");
        }
        if (/'/.test(s) && /!/.test(s)) {
          return "'" + s.replace(/'/g, `'"'"'`) + "'";
        }
        if (/["\s\\]/.test(s) && !/'/.test(s)) {
          return "'" + s + "'";
        }
        if (/["'\s]/.test(s)) {
          return '"' + s.replace(/(["\\$`])/g, "\\$1") + '"';
        }
        return String(s).replace(/([A-Za-z]:)?([#!"$&'()*,:;<=>?@[\\\]^`{|}~])/g, "$1\\$2");
      }).join(" ");
    };
  }
});

// node_modules/shell-quote/parse.js
var require_parse = __commonJS({
  "node_modules/shell-quote/parse.js"(exports, module) {
    "use strict";
    var CONTROL = (
      /** @type {const} */
      "(?:" + /** @type {const} */
      [
        "\\|\\|",
        "\\&(?:\\&|>>?)",
        // `&&`, `&>`, and `&>>`
        ";;\\&?",
        // `;;` and `;;&`
        "[;|]\\&",
        // `;&` and `|&`
        "\\<\\(",
        "\\<\\<\\<",
        "\\<\\<-",
        "\\<\\<(?!\\()",
        // `<<(` stays `<` and `<(`, as zsh reads it; other shells reject it
        ">>",
        ">[&|(]",
        // `>&`, `>|`, and `>(`
        "<[&>]",
        // `<&` and `<>`
        "[&;()|<>]"
      ].join(
        /** @type {const} */
        "|"
      ) + /** @type {const} */
      ")"
    );
    var controlRE = new RegExp("^" + CONTROL + "$");
    var META = (
      /** @type {const} */
      "|&;()<> \\t"
    );
    var SINGLE_QUOTE = (
      /** @type {const} */
      "'([^']*?)'"
    );
    var ANSI_C_BODY = "(?:\\\\[\\s\\S]|[^\\\\'])*?";
    var ANSI_C_QUOTE = "\\$'" + ANSI_C_BODY + "'";
    var ansiCAt = new RegExp("\\$'" + ANSI_C_BODY + "(?:(')|\\\\?$)", "g");
    var ANSI_C_LETTERS = "abeEfnrtv";
    var ANSI_C_CHARS = "\x07\b\x1B\x1B\f\n\r	\v";
    var hash = /^#$/;
    var SQ = (
      /** @type {const} */
      "'"
    );
    var DQ = (
      /** @type {const} */
      '"'
    );
    var DS = (
      /** @type {const} */
      "$"
    );
    var TOKEN = "";
    var mult = (
      /** @type {const} */
      4294967296
    );
    for (i = 0; i < 4; i++) {
      TOKEN += (mult * Math.random()).toString(16);
    }
    var i;
    var startsWithToken = new RegExp("^" + TOKEN);
    function matchAll(s, r) {
      var origIndex = r.lastIndex;
      var matches = [];
      var matchObj;
      while (matchObj = r.exec(s)) {
        matches[matches.length] = matchObj;
        if (r.lastIndex === matchObj.index) {
          r.lastIndex += 1;
        }
      }
      r.lastIndex = origIndex;
      return matches;
    }
    function getVar(env, pre, key) {
      var r = typeof env === "function" ? env(key) : env[key];
      if (typeof r === "undefined" && key != "") {
        r = "";
      } else if (typeof r === "undefined") {
        r = "$";
      }
      if (typeof r === "object") {
        return pre + TOKEN + JSON.stringify(r) + TOKEN;
      }
      return pre + r;
    }
    var ansiCEscape = /\\([0-7]{1,3}|x[\dA-Fa-f]{1,2}|u[\dA-Fa-f]{1,4}|U[\dA-Fa-f]{1,8}|c(?:\\\\|[\s\S])|[abeEfnrtv\\'"?])/g;
    function expandAnsiCEscape(m, escape) {
      var kind = escape.charAt(0);
      if (kind === "c") {
        var ctrl = escape.charAt(1);
        return ctrl === "?" ? "\x7F" : String.fromCharCode(ctrl.charCodeAt(0) & 31);
      }
      if (kind === "x" || kind === "u" || kind === "U") {
        var cp = parseInt(escape.slice(1), 16);
        if (cp > 1114111) {
          return m;
        }
        return String.fromCharCode.apply(null, cp > 65535 ? [55232 + (cp >> 10), 56320 + (cp & 1023)] : [cp]);
      }
      if (kind >= "0" && kind <= "7") {
        return String.fromCharCode(parseInt(escape, 8) & 255);
      }
      var letter = ANSI_C_LETTERS.indexOf(escape);
      return letter < 0 ? escape : ANSI_C_CHARS.charAt(letter);
    }
    function expandAnsiC(body) {
      return body.replace(ansiCEscape, expandAnsiCEscape).split("\0")[0];
    }
    function closesAnsiC(s, i2) {
      ansiCAt.lastIndex = i2;
      return !!/** @type {RegExpExecArray} */
      ansiCAt.exec(s)[1];
    }
    function parseInternal(string, env, opts) {
      if (!opts) {
        opts = {};
      }
      var BS = opts.escape || "\\";
      var ifs = opts.splitUnquoted === true ? " 	\n" : typeof opts.splitUnquoted === "string" ? opts.splitUnquoted : "";
      var BAREWORD = "(\\" + BS + `['"$\\` + BS + META + "]|\\$\\$|\\$(?!" + ANSI_C_QUOTE.slice(2) + `)|[^\\s'"$` + META + "])+";
      var DOUBLE_QUOTE = '"(?:\\' + BS + '[\\s\\S]|[^"\\' + BS + '])*"';
      var chunker = new RegExp([
        "(" + CONTROL + ")",
        // control chars
        "(" + ANSI_C_QUOTE + "|" + BAREWORD + "|" + DOUBLE_QUOTE + "|" + SINGLE_QUOTE + ")+"
      ].join("|"), "g");
      var matches = matchAll(string, chunker);
      if (matches.length === 0) {
        return [];
      }
      if (!env) {
        env = {};
      }
      var commented = false;
      return matches.map(function(match) {
        var s = match[0];
        if (!s || commented) {
          return void 0;
        }
        if (controlRE.test(s)) {
          return (
            /** @type {ControlOperator} */
            { op: s }
          );
        }
        var quote = false;
        var esc = false;
        var out = "";
        var words2 = [];
        var sawQuote = false;
        var pendingNw = null;
        var isGlob = false;
        var i2;
        function parseEnvVar() {
          i2 += 1;
          var varend;
          var varname;
          var char = s.charAt(i2);
          if (char === "{") {
            i2 += 1;
            if (s.charAt(i2) === "}") {
              throw new Error("Bad substitution: " + s.slice(i2 - 2, i2 + 1));
            }
            var depth = 1;
            varend = i2;
            while (depth > 0 && varend < s.length) {
              if (s.charAt(varend) === "{" && s.charAt(varend - 1) === "$") {
                depth += 1;
              } else if (s.charAt(varend) === "}") {
                depth -= 1;
              }
              varend += 1;
            }
            if (depth !== 0) {
              throw new Error("Bad substitution: " + s.slice(i2));
            }
            varend -= 1;
            varname = s.slice(i2, varend);
            i2 = varend;
          } else if (/[*@#?$!-]/.test(char)) {
            varname = char;
          } else {
            var slicedFromI = s.slice(i2);
            varend = slicedFromI.match(/[^\w\d_]/);
            if (!varend) {
              varname = slicedFromI;
              i2 = s.length;
            } else {
              varname = slicedFromI.slice(0, varend.index);
              i2 += /** @type {number} */
              varend.index - 1;
            }
          }
          return getVar(
            /** @type {NonNullable<typeof env>} */
            env,
            "",
            varname
          );
        }
        function flushRun() {
          if (pendingNw === null) {
            return;
          }
          if (pendingNw === 0) {
            if (out !== "") {
              words2[words2.length] = out;
              out = "";
            }
          } else {
            words2[words2.length] = out;
            out = "";
            for (var fe = 1; fe < pendingNw; fe += 1) {
              words2[words2.length] = "";
            }
          }
          pendingNw = null;
        }
        for (i2 = 0; i2 < s.length; i2++) {
          var c = s.charAt(i2);
          if (ifs && c !== DS) {
            flushRun();
          }
          isGlob = isGlob || !quote && (c === "*" || c === "?");
          if (esc) {
            out += c;
            esc = false;
          } else if (quote) {
            if (c === quote) {
              quote = false;
            } else if (quote == SQ) {
              out += c;
            } else {
              if (c === BS) {
                i2 += 1;
                c = s.charAt(i2);
                if (c === DQ || c === BS || c === DS) {
                  out += c;
                } else {
                  out += BS + c;
                }
              } else if (c === DS) {
                out += parseEnvVar();
              } else {
                out += c;
              }
            }
          } else if (c === DQ || c === SQ) {
            quote = c;
            sawQuote = true;
          } else if (controlRE.test(c)) {
            return (
              /** @type {ControlOperator} */
              { op: s }
            );
          } else if (hash.test(c)) {
            commented = true;
            var commentObj = { comment: string.slice(match.index + i2 + 1) };
            if (out.length) {
              return (
                /** @type {const} */
                [out, commentObj]
              );
            }
            return (
              /** @type {const} */
              [commentObj]
            );
          } else if (c === BS) {
            esc = true;
          } else if (c === DS && s.charAt(i2 + 1) === SQ && closesAnsiC(s, i2)) {
            flushRun();
            sawQuote = true;
            out += expandAnsiC(s.slice(i2 + 2, ansiCAt.lastIndex - 1));
            i2 = ansiCAt.lastIndex - 1;
          } else if (c === DS) {
            var value = parseEnvVar();
            if (!ifs) {
              out += value;
            } else {
              for (var vi = 0; vi < value.length; vi += 1) {
                var vc = value.charAt(vi);
                if (ifs.indexOf(vc) < 0) {
                  flushRun();
                  out += vc;
                } else if (pendingNw === null) {
                  pendingNw = vc === " " || vc === "	" || vc === "\n" ? 0 : 1;
                } else if (vc !== " " && vc !== "	" && vc !== "\n") {
                  pendingNw += 1;
                }
              }
            }
          } else {
            out += c;
          }
        }
        if (isGlob) {
          return (
            /** @type {GlobPattern} */
            { op: "glob", pattern: out }
          );
        }
        if (ifs) {
          if (pendingNw !== null && pendingNw > 0) {
            words2[words2.length] = out;
            out = "";
            for (var te = 1; te < pendingNw; te += 1) {
              words2[words2.length] = "";
            }
          }
          if (out !== "" || sawQuote && words2.length === 0) {
            words2[words2.length] = out;
          }
          return words2;
        }
        return out;
      }).reduce(
        function(prev, arg) {
          if (typeof arg === "undefined") {
            return prev;
          }
          [].concat(arg).forEach(function(entry) {
            prev[prev.length] = entry;
          });
          return prev;
        },
        /** @type {ParseEntry[]} */
        []
      );
    }
    module.exports = function parse2(s, env, opts) {
      var mapped = parseInternal(s, env, opts);
      if (typeof env !== "function") {
        return mapped;
      }
      return mapped.reduce(
        function(acc, s2) {
          if (typeof s2 === "object") {
            acc[acc.length] = s2;
            return acc;
          }
          var xs = s2.split(RegExp("(" + TOKEN + ".*?" + TOKEN + ")", "g"));
          if (xs.length === 1) {
            acc[acc.length] = xs[0];
            return acc;
          }
          xs.filter(Boolean).forEach(function(x) {
            acc[acc.length] = startsWithToken.test(x) ? JSON.parse(x.split(TOKEN)[1]) : x;
          });
          return acc;
        },
        /** @type {ParseEntry[]} */
        []
      );
    };
  }
});

// node_modules/shell-quote/index.js
var require_shell_quote = __commonJS({
  "node_modules/shell-quote/index.js"(exports) {
    "use strict";
    exports.quote = require_quote();
    exports.parse = require_parse();
  }
});

// src/inputs.ts
var import_shell_quote = __toESM(require_shell_quote(), 1);
import { existsSync as existsSync4, readFileSync as readFileSync6 } from "node:fs";
import { join as join3, resolve as resolve2 } from "node:path";

// node_modules/shlex/shlex.js
var Shlexer = class {
  constructor(string) {
    this.i = 0;
    this.string = string;
    this.whitespace = " 	\r\n";
    this.quotes = `'"`;
    this.escapes = "\\";
    this.escapedQuotes = '"';
    this.ansiCQuotes = true;
    this.localeQuotes = true;
    this.debug = false;
  }
  readChar() {
    return this.string.charAt(this.i++);
  }
  processEscapes(string, quote, isAnsiCQuote) {
    if (!isAnsiCQuote && !this.escapedQuotes.includes(quote)) {
      return string;
    }
    const anyEscape = "[" + this.escapes.replace(/(.)/g, "\\$1") + "]";
    if (!isAnsiCQuote && this.escapedQuotes.includes(quote)) {
      const re = new RegExp(
        anyEscape + "(" + anyEscape + "|\\" + quote + ")",
        "g"
      );
      return string.replace(re, "$1");
    }
    if (isAnsiCQuote) {
      const patterns = {
        // Literal characters
        "([\\\\'\"?])": (x) => x,
        // Non-printable ASCII characters
        "a": () => "\x07",
        "b": () => "\b",
        "e|E": () => "\x1B",
        "f": () => "\f",
        "n": () => "\n",
        "r": () => "\r",
        "t": () => "	",
        "v": () => "\v",
        // Octal bytes
        "([0-7]{1,3})": (x) => String.fromCharCode(parseInt(x, 8)),
        // Hexadecimal bytes
        "x([0-9a-fA-F]{1,2})": (x) => String.fromCharCode(parseInt(x, 16)),
        // Unicode code units
        "u([0-9a-fA-F]{1,4})": (x) => String.fromCharCode(parseInt(x, 16)),
        "U([0-9a-fA-F]{1,8})": (x) => String.fromCharCode(parseInt(x, 16)),
        // Control characters
        // https://en.wikipedia.org/wiki/Control_character#How_control_characters_map_to_keyboards
        "c(.)": (x) => {
          if (x === "?") {
            return "\x7F";
          } else if (x === "@") {
            return "\0";
          } else {
            return String.fromCharCode(x.charCodeAt(0) & 31);
          }
        }
      };
      const re = new RegExp(
        anyEscape + "(" + Object.keys(patterns).join("|") + ")",
        "g"
      );
      return string.replace(re, function(m, p1) {
        for (const matched in patterns) {
          const mm = new RegExp("^" + matched + "$").exec(p1);
          if (mm === null) {
            continue;
          }
          return patterns[matched].apply(null, mm.slice(1));
        }
      });
    }
    return void 0;
  }
  *[Symbol.iterator]() {
    let inQuote = false;
    let inDollarQuote = false;
    let escaped = false;
    let lastDollar = -2;
    let token;
    if (this.debug) {
      console.log("full input:", ">" + this.string + "<");
    }
    while (true) {
      const pos = this.i;
      const char = this.readChar();
      if (this.debug) {
        console.log(
          "position:",
          pos,
          "input:",
          ">" + char + "<",
          "accumulated:",
          token,
          "inQuote:",
          inQuote,
          "inDollarQuote:",
          inDollarQuote,
          "lastDollar:",
          lastDollar,
          "escaped:",
          escaped
        );
      }
      if (char === "") {
        if (inQuote) {
          throw new Error("Got EOF while in a quoted string");
        }
        if (escaped) {
          throw new Error("Got EOF while in an escape sequence");
        }
        if (token !== void 0) {
          yield token;
        }
        return;
      }
      if (escaped) {
        if (char === "\n") {
        } else if (inQuote) {
          token = (token || "") + escaped + char;
        } else {
          token = (token || "") + char;
        }
        escaped = false;
        continue;
      }
      if (this.escapes.includes(char)) {
        if (!inQuote || inDollarQuote !== false || this.escapedQuotes.includes(inQuote)) {
          escaped = char;
          continue;
        } else {
        }
      }
      if (inQuote !== false) {
        if (char === inQuote) {
          token = this.processEscapes(token, inQuote, inDollarQuote === "'");
          inQuote = false;
          inDollarQuote = false;
          continue;
        }
        token = (token || "") + char;
        continue;
      }
      if (this.quotes.includes(char)) {
        inQuote = char;
        if (lastDollar === pos - 1) {
          if (char === "'" && !this.ansiCQuotes) {
          } else if (char === '"' && !this.localeQuotes) {
          } else {
            inDollarQuote = char;
          }
        }
        token = token || "";
        if (inDollarQuote !== false) {
          token = token.slice(0, -1);
        }
        continue;
      }
      if (inQuote === false && char === "$") {
        lastDollar = pos;
      }
      if (this.whitespace.includes(char)) {
        if (token !== void 0) {
          yield token;
        }
        token = void 0;
        continue;
      }
      token = (token || "") + char;
    }
  }
};
function split(s) {
  return Array.from(new Shlexer(s));
}

// src/nix/remote-builders.ts
function sshKeyProblem(raw) {
  const text = raw.replace(/\r\n/g, "\n").trim();
  if (!/^-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----\n[\s\S]+\n-----END ([A-Z0-9]+ )*PRIVATE KEY-----$/.test(
    text
  ))
    return "is not an SSH private key (a PEM block from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----, as ssh-keygen writes it); give the whole file, without a passphrase.";
  if (/^Proc-Type: 4,ENCRYPTED/m.test(text))
    return 'is encrypted with a passphrase, which Nix cannot enter; give a key without one (ssh-keygen -N "").';
  return null;
}
function sshKeyFileContent(raw) {
  return `${raw.replace(/\r\n/g, "\n").trim()}
`;
}
function sshOptsWithKey(current, keyFile) {
  if (/\s/.test(keyFile))
    throw new Error(
      `The SSH key's file ${keyFile} has white space in its path, which NIX_SSHOPTS cannot carry; run with a RUNNER_TEMP without spaces.`
    );
  return [current?.trim() ?? "", "-i", keyFile].filter(Boolean).join(" ");
}
function machineName(machine) {
  return machine === "" ? "this runner" : machine;
}

// src/publish/lattice.ts
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

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
  let str2 = ctx.s.slice(startPtr, ctx.p);
  if (hasUnderscores)
    str2 = str2.replaceAll("_", "");
  return state > 1 ? parseFloat(str2) : parseInteger(ctx, str2, 10, startPtr);
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
  let str2 = ctx.s.slice(startPtr + 2, ctx.p);
  if (underscore)
    str2 = str2.replaceAll("_", "");
  return parseInteger(ctx, str2, base, startPtr);
}
function parseInteger(ctx, str2, base, startPtr) {
  if (ctx.bi !== true)
    int: {
      let val = parseInt(str2, base);
      if (!Number.isSafeInteger(val)) {
        if (ctx.bi)
          break int;
        TomlError.x("integer value cannot be represented losslessly", ctx, startPtr);
      }
      return val;
    }
  return base === 10 ? BigInt(str2) : BigInt((base === 2 ? "0b" : base === 8 ? "0o" : "0x") + str2);
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
function readDate(ctx, str2, type, unsafeDelim, errPtr, temporalSuffix) {
  if (ctx.ld) {
    let date = new TomlDate(str2, type, unsafeDelim);
    if (!date.isValid())
      TomlError.x("invalid date", ctx, errPtr);
    return date;
  }
  try {
    if (temporalSuffix)
      str2 += temporalSuffix;
    switch (type) {
      case 1:
        return Temporal.ZonedDateTime.from(str2);
      case 2:
        return Temporal.PlainDateTime.from(str2);
      case 3:
        return Temporal.PlainDate.from(str2);
      case 4:
        return Temporal.PlainTime.from(str2);
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
  let str2 = stringifyTable(0, obj, "", maxDepth, numbersAsFloat, strictTemporal);
  if (str2[str2.length - 1] !== "\n")
    return str2 + "\n";
  return str2;
}

// src/publish/lattice.ts
var DEFAULT_BRANCH_TEMPLATE = "lattice/{component}/{arch}/phase{phase}/step{step}";
var PLACEHOLDERS = ["component", "arch", "phase", "step"];
function refNameProblem(name) {
  if (name === "" || name === "@") return "is empty";
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name))
    return "contains white space, a control character or one of ~ ^ : ? * [ \\";
  if (name.includes("..") || name.includes("@{")) return "contains .. or @{";
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//"))
    return "starts or ends with /, or has an empty part";
  if (name.endsWith(".")) return "ends with .";
  for (const part of name.split("/"))
    if (part.startsWith(".") || part.endsWith(".lock"))
      return `has a part '${part}' that starts with . or ends with .lock`;
  return null;
}
function branchTemplateProblem(template) {
  for (const m of template.matchAll(/\{([^}]*)\}/g))
    if (!PLACEHOLDERS.includes(m[1]))
      return `has the unknown placeholder {${m[1]}}; it accepts ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`;
  const steps = template.split("{step}").length - 1;
  if (steps !== 1)
    return `must contain {step} exactly once (it numbers the snapshots), not ${steps} times`;
  const sample = renderBranch(template, { component: "c", arch: "x86_64", phase: 0 }, 1);
  const problem = refNameProblem(sample);
  return problem ? `gives the branch '${sample}', which ${problem}` : null;
}
function fill(template, point) {
  return template.replaceAll("{component}", point.component).replaceAll("{arch}", point.arch).replaceAll("{phase}", String(point.phase));
}
function renderBranch(template, point, step) {
  return fill(template, point).replace("{step}", String(step));
}
function stepsOf(template, point, branches) {
  const [before, after] = fill(template, point).split("{step}");
  const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^${literal(before)}([1-9][0-9]{0,8})${literal(after)}$`);
  return branches.map((b) => re.exec(b)?.[1]).filter((n) => n !== void 0).map(Number).sort((a, b) => a - b);
}
function archOf(system) {
  return system.split("-")[0];
}
function phaseOf(plan) {
  return plan.steps.reduce((max, s) => Math.max(max, s.stage ?? 0), 0);
}
function componentProblem(component) {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(component))
    return "must start with a letter or digit and hold only letters, digits, ., _ and - (at most 100)";
  return refNameProblem(component);
}
function versionOf(plan) {
  const m = /\d+\.\d+\.\d+(?:-[A-Za-z0-9.]+)?/.exec(plan.toolchain.version);
  return m ? m[0] : "unknown";
}
function sourceNameOf(sourceDir) {
  const manifest = join(sourceDir, "Cargo.toml");
  if (existsSync(manifest)) {
    try {
      const name = parse(readFileSync(manifest, "utf8")).package?.name;
      if (typeof name === "string" && name) return name;
    } catch {
    }
  }
  return basename(sourceDir);
}
function defaultComponent(plan) {
  const raw = `${sourceNameOf(plan.source_dir)}-rust-${versionOf(plan)}`;
  const clean = raw.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return clean.replace(/\.lock$/, "-lock").replace(/\.+$/, "") || "rust";
}

// src/toolchain/config-toml.ts
import { readFileSync as readFileSync4 } from "node:fs";
import { dirname, resolve } from "node:path";

// src/util/toml-table.ts
function isTable(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

// src/toolchain/xpy.ts
import { constants, existsSync as existsSync3, readFileSync as readFileSync3, statSync as statSync2 } from "node:fs";
import path2 from "node:path";

// src/toolchain/spec.ts
import { existsSync as existsSync2, readFileSync as readFileSync2, statSync } from "node:fs";
import path from "node:path";
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
    if (!existsSync2(file)) throw bad(`the file ${file} does not exist`);
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
  if (existsSync2(path.join(src, "src", "stage0")) || existsSync2(path.join(src, "src", "stage0.json"))) {
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
    if (existsSync2(file) && statSync(file).isFile()) {
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
  if (existsSync2(kv)) {
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
  } else if (existsSync2(json)) {
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
  if (!existsSync2(versionFile)) {
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
  const list2 = (key) => {
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
  return { channel: t.channel, profile, components: list2("components"), targets: list2("targets") };
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

// src/toolchain/xpy.ts
var BUILD_SECTION_KEYS = [
  "build",
  "description",
  "host",
  "target",
  "build-dir",
  "cargo",
  "rustc",
  "rustdoc",
  "rustfmt",
  "cargo-clippy",
  "docs",
  "compiler-docs",
  "library-docs-private-items",
  "docs-minification",
  "submodules",
  "gdb",
  "lldb",
  "nodejs",
  "npm",
  "yarn",
  "python",
  "windows-rc",
  "reuse",
  "locked-deps",
  "vendor",
  "full-bootstrap",
  "bootstrap-cache-path",
  "extended",
  "tools",
  "tool",
  "verbose",
  "sanitizers",
  "profiler",
  "cargo-native-static",
  "low-priority",
  "configure-args",
  "local-rebuild",
  "print-step-timings",
  "print-step-rusage",
  "check-stage",
  "doc-stage",
  "build-stage",
  "test-stage",
  "install-stage",
  "dist-stage",
  "bench-stage",
  "patch-binaries-for-nix",
  "metrics",
  "android-ndk",
  "optimized-compiler-builtins",
  "jobs",
  "compiletest-diff-tool",
  "compiletest-allow-stage0",
  "compiletest-use-stage0-libtest",
  "tidy-extra-checks",
  "ccache",
  "exclude",
  "record_failed_tests_path",
  "sde"
];
var TOP_LEVEL_TABLES = [
  "build",
  "install",
  "llvm",
  "gcc",
  "rust",
  "target",
  "dist"
];
var XpyConfigError = class extends Error {
  name = "XpyConfigError";
};
function isRustTree(sourceDir) {
  return existsSync3(path2.join(sourceDir, "x.py"));
}
function inspectRustTree(sourceDir) {
  const root = path2.resolve(sourceDir);
  const channelFile = path2.join(root, "src", "ci", "channel");
  if (!existsSync3(channelFile)) {
    throw new XpyConfigError(
      `${channelFile} is missing: bootstrap reads the release channel (stable, beta, nightly or dev) from it; restore it from the checkout (git checkout -- src/ci/channel)`
    );
  }
  const channel = readFileSync3(channelFile, "utf8").trim();
  if (!["stable", "beta", "nightly", "dev"].includes(channel)) {
    throw new XpyConfigError(
      `${channelFile} holds "${channel}"; bootstrap expects stable, beta, nightly or dev`
    );
  }
  const versionFile = path2.join(root, "src", "version");
  const sourceVersion = existsSync3(versionFile) ? readFileSync3(versionFile, "utf8").trim() : null;
  const vendor = path2.join(root, "vendor");
  const tracker = path2.join(root, "src", "bootstrap", "src", "utils", "change_tracker.rs");
  const latestChangeId = existsSync3(tracker) ? lastChangeId(readFileSync3(tracker, "utf8")) : null;
  return {
    root,
    sourceVersion,
    channel,
    hasVendor: existsSync3(vendor) && statSync2(vendor).isDirectory(),
    latestChangeId,
    predatesChangeId: existsSync3(path2.join(root, "src", "bootstrap")) && !existsSync3(tracker),
    writable: mayAccess(root, constants.W_OK)
  };
}
function lastChangeId(trackerSource) {
  const start = trackerSource.indexOf("CONFIG_CHANGE_HISTORY");
  if (start < 0) return null;
  const ids = [...trackerSource.slice(start).matchAll(/change_id:\s*(\d+)/g)].map(
    (m) => Number(m[1])
  );
  return ids.length > 0 ? ids[ids.length - 1] : null;
}
function xpyConfig(tree, toolchain, targets, metadataDir, template = null) {
  const warnings = [];
  if (tree.sourceVersion !== null) {
    const problem = bootstrapCompilerProblem(tree.sourceVersion, toolchain.version);
    if (problem) {
      throw new XpyConfigError(
        `the toolchain's rustc ${toolchain.version} cannot build this tree (src/version ${tree.sourceVersion}): ${problem}; use toolchain: stage0`
      );
    }
  }
  const tpl = hoistBuildKeys(template ?? {}).doc;
  const tplBuild = isTable(tpl.build) ? tpl.build : {};
  for (const key of ["rustc", "cargo"]) {
    const v = tplBuild[key];
    if (typeof v === "string" && v !== toolchain[key]) {
      warnings.push(`the config template's build.${key} (${v}) is replaced by ${toolchain[key]}`);
    }
  }
  const build = {
    build: typeof tplBuild.build === "string" ? tplBuild.build : toolchain.host,
    host: stringList(tplBuild.host) ?? [toolchain.host],
    target: unique([...stringList(tplBuild.target) ?? [toolchain.host], ...targets]),
    rustc: toolchain.rustc,
    cargo: toolchain.cargo
  };
  if (tree.hasVendor && tplBuild.vendor === void 0) build.vendor = true;
  if (!tree.writable && tplBuild["build-dir"] === void 0) {
    build["build-dir"] = metadataPath(metadataDir, "xpyBuild");
    warnings.push(
      `${tree.root} is read-only; x.py writes its build directory to ${build["build-dir"]}`
    );
  }
  const config = { build };
  if (tpl["change-id"] === void 0) {
    if (tree.latestChangeId !== null) {
      config["change-id"] = tree.latestChangeId;
    } else if (tree.predatesChangeId) {
      warnings.push(
        "this bootstrap predates change-id (no src/bootstrap/src/utils/change_tracker.rs), so none is written"
      );
    } else {
      config["change-id"] = "ignore";
      warnings.push(
        'the latest change-id is unknown (src/bootstrap/src/utils/change_tracker.rs has none); writing change-id = "ignore", which bootstrap accepts since 2025 and which silences its config-change notices'
      );
    }
  }
  if (tpl["changelog-seen"] !== void 0 && tree.latestChangeId !== null) {
    warnings.push(
      "the config template sets changelog-seen, which bootstrap removed (rust-lang/rust#123711); delete it"
    );
  }
  return { config, warnings };
}
function hoistBuildKeys(doc) {
  const out = {};
  const build = isTable(doc.build) ? { ...doc.build } : {};
  const moved = [];
  for (const [key, value] of Object.entries(doc)) {
    if (key === "build" && isTable(value)) continue;
    const isSection = TOP_LEVEL_TABLES.includes(key) && isTable(value);
    if (BUILD_SECTION_KEYS.includes(key) && !isSection) {
      moved.push(key);
      if (!(key in build)) build[key] = value;
      continue;
    }
    out[key] = value;
  }
  if (Object.keys(build).length > 0 || isTable(doc.build)) out.build = build;
  return { doc: out, moved };
}
function stringList(v) {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
  return null;
}
function unique(xs) {
  return [...new Set(xs)];
}

// src/toolchain/config-toml.ts
function mergeToml(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isTable(cur) && isTable(v) ? mergeToml(cur, v) : v;
  }
  return out;
}
function parseToml(input, text, where) {
  try {
    return parse(text);
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const reason = e.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    throw new InputError(
      input,
      `${where} is not valid TOML: line ${e.line}, column ${e.column}: ${reason}.`
    );
  }
}
function typeName(v) {
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a date";
  return typeof v === "string" ? "a string" : `a ${typeof v}`;
}
function configTableProblem(table, opts) {
  for (const key of TOP_LEVEL_TABLES) {
    const v = table[key];
    if (v === void 0 || isTable(v)) continue;
    const hoisted = BUILD_SECTION_KEYS.includes(key) && (typeof v === "string" || Array.isArray(v) && v.every((x) => typeof x === "string"));
    if (!hoisted) return `'${key}' must be a table ([${key}]), but is ${typeName(v)}`;
  }
  const build = hoistBuildKeys(table).doc.build;
  if (!opts.inline || !isTable(build)) return null;
  for (const key of ["rustc", "cargo"]) {
    const v = build[key];
    if (v === void 0) continue;
    if (typeof v !== "string")
      return `[build] ${key} must be a path (a string), but is ${typeName(v)}`;
    if (!opts.isProgram(resolve(opts.sourceDir, v)))
      return `[build] ${key} = "${v}" is not an executable file; give the path of ${key}, or leave it out to use the toolchain input's`;
  }
  return null;
}
function readTemplate(path4) {
  const { doc, moved } = hoistBuildKeys(
    parseToml("config-template", readFileSync4(path4, "utf8"), path4)
  );
  if (Array.isArray(doc.include))
    doc.include = doc.include.map(
      (p) => typeof p === "string" ? resolve(dirname(path4), p) : p
    );
  const warnings = moved.length ? [
    `${path4}: moved top-level ${moved.map((k) => `'${k}'`).join(", ")} under [build], where bootstrap reads ${moved.length === 1 ? "it" : "them"}.`
  ] : [];
  return { table: doc, warnings };
}
function composeConfig(parts) {
  let config = parts.template ?? {};
  if (parts.extra) config = mergeToml(config, parts.extra);
  config = mergeToml(config, { build: { rustc: parts.rustc, cargo: parts.cargo } });
  if (parts.inline.trim())
    config = mergeToml(
      config,
      hoistBuildKeys(parseToml("config", parts.inline, "the inline config")).doc
    );
  return stringify(config);
}

// src/trust/metadata-integrity.ts
import { createHash } from "node:crypto";
import { readFileSync as readFileSync5 } from "node:fs";
import { join as join2 } from "node:path";
var FILES = [METADATA_FILES.plan, METADATA_FILES.records];
var PREFIX = "sha256:";
var DIGEST = /^sha256:[0-9a-f]{64}$/;
function metadataDigest(dir) {
  const h = createHash("sha256").update("rust-bootstrap-nix metadata v1\0");
  for (const name of FILES) {
    const bytes = readFileSync5(join2(dir, name));
    h.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  return PREFIX + h.digest("hex");
}
function digestInputProblem(raw) {
  return DIGEST.test(raw) ? null : `'${raw.slice(0, 80)}' is not a digest; give the emit's plan-digest output as it is (sha256: and 64 hex digits).`;
}
var TRUST_METADATA = ["false", "true", "sign-and-publish"];

// src/inputs.ts
var InputError = class extends Error {
  constructor(input, message) {
    super(`Input '${input}': ${message}`);
    this.input = input;
  }
  input;
};
var InputErrors = class extends InputError {
  constructor(problems) {
    super(problems.map((p) => p.input).join(", "), "");
    this.problems = problems;
    this.message = `${problems.length} inputs are wrong. ${problems.map((p) => p.message).join(" ")}`;
  }
  problems;
};
var INPUT_DEFAULTS = {
  "source-dir": ".",
  command: "",
  toolchain: "",
  targets: "",
  components: "",
  "config-template": "",
  config: "",
  mode: "emit-then-build",
  "metadata-dir": "",
  sccache: "true",
  cache: "true",
  "cache-key-prefix": "rust-bootstrap-nix-v1",
  "save-cache": "true",
  "install-nix": "auto",
  "nix-conf": "",
  "binary-cache": "",
  "binary-cache-secret-key": "",
  "builders-ssh-key": "",
  "github-token": "",
  "check-run": "true",
  "upload-artifact": "true",
  "reuse-plan": "true",
  "build-once": "true",
  publish: "false",
  "publish-remote": "origin",
  "publish-branch": DEFAULT_BRANCH_TEMPLATE,
  "publish-component": "",
  "metadata-digest": "",
  "trust-metadata": "false"
};
var MODES = ["emit", "build", "emit-then-build"];
var INSTALL_NIX = ["auto", "true", "false"];
function bool(name, raw) {
  if (["true", "True", "TRUE"].includes(raw)) return true;
  if (["false", "False", "FALSE"].includes(raw)) return false;
  throw new InputError(name, `'${shown(raw)}' is not a boolean; use true or false.`);
}
function oneOf(name, raw, allowed) {
  const lower = raw.toLowerCase();
  if (allowed.includes(lower)) return lower;
  throw new InputError(name, `'${shown(raw)}' is not accepted; use one of: ${allowed.join(", ")}.`);
}
function shown(raw) {
  const text = JSON.stringify(raw).slice(1, -1);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
function hasControl(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}
function noControl(name, raw) {
  if (hasControl(raw))
    throw new InputError(
      name,
      `'${shown(raw)}' contains a control character; give it on one line.`
    );
  return raw;
}
function splitCommand(raw) {
  let tokens;
  let argv;
  try {
    tokens = (0, import_shell_quote.parse)(raw, (key) => `$${key}`);
    argv = split(raw);
  } catch (e) {
    throw new InputError(
      "command",
      `cannot be split into arguments: ${e.message}; close the quote, or escape it with a backslash.`
    );
  }
  for (const token of tokens) {
    if (typeof token === "string" || "op" in token && token.op === "glob") continue;
    const what = "op" in token ? token.op : "#";
    throw new InputError(
      "command",
      `contains the shell operator '${what}', but the command is never run through a shell; give one program and its arguments (wrap a pipeline in a script file).`
    );
  }
  if (/`|\$\(/.test(raw.replace(/'[^']*'/g, ""))) {
    throw new InputError(
      "command",
      "contains command substitution (` or $( ), but the command is never run through a shell; give one program and its arguments."
    );
  }
  if (argv.length === 0)
    throw new InputError(
      "command",
      "is empty after splitting; give a program and its arguments, or leave it empty for the default."
    );
  return argv;
}
var TARGET2 = /^[a-z0-9_]+(-[a-z0-9_.]+){1,4}$/;
var COMPONENT2 = /^[a-z][a-z0-9-]*$/;
function list(name, raw, re, what) {
  const items = raw.split(/[\s,]+/).filter(Boolean);
  const bad = items.filter((i) => !re.test(i));
  if (bad.length > 0)
    throw new InputError(
      name,
      `${bad.map((b) => `'${shown(b)}'`).join(", ")} ${bad.length === 1 ? "is" : "are"} not ${what}; give them separated by commas or white space.`
    );
  return [...new Set(items)];
}
function sourceDirOf(raw, base) {
  const dir = resolve2(base, noControl("source-dir", raw));
  const problem = readableDirProblem(dir);
  if (problem)
    throw new InputError(
      "source-dir",
      `'${shown(raw)}' ${problem} (resolved to ${dir}); give the path of a cargo workspace or a rust-lang/rust checkout.`
    );
  return dir;
}
function checkBuildable(sourceDir, command) {
  const cargoOwn = command === null || command[0] === "cargo" && !command.some((a) => a.startsWith("--manifest-path"));
  if (!cargoOwn || isRustTree(sourceDir) || existsSync4(join3(sourceDir, "Cargo.toml"))) return;
  throw new InputError(
    "source-dir",
    `${sourceDir} holds neither Cargo.toml nor x.py, and cargo would build whatever crate lies above it; give the directory of the workspace (or set command with --manifest-path).`
  );
}
function templateOf(raw, sourceDir) {
  if (!raw) return null;
  const path4 = resolve2(sourceDir, noControl("config-template", raw));
  const problem = readableFileProblem(path4);
  if (problem)
    throw new InputError(
      "config-template",
      `file '${shown(raw)}' ${problem} (resolved to ${path4}); give a TOML file or leave it empty.`
    );
  let text;
  try {
    text = readFileSync6(path4, "utf8");
  } catch {
    throw new InputError(
      "config-template",
      `file '${shown(raw)}' cannot be read (resolved to ${path4}); give a TOML file or leave it empty.`
    );
  }
  checkToml("config-template", text, path4, sourceDir);
  return path4;
}
function checkToml(name, text, where, sourceDir) {
  const problem = configTableProblem(parseToml(name, text, where), {
    inline: name === "config",
    sourceDir,
    isProgram: isExecutableFile
  });
  if (problem) throw new InputError(name, `${where}: ${problem}.`);
}
function metadataDirOf(raw, base, env, sourceDir) {
  const dir = raw ? resolve2(base, noControl("metadata-dir", raw)) : runnerDirs.metadata(env);
  const problem = writableDirProblem(dir);
  const fix = "give a writable directory outside source-dir, or leave it empty for $RUNNER_TEMP/rust-bootstrap-nix.";
  if (problem) throw new InputError("metadata-dir", `${dir} ${problem}; ${fix}`);
  if (sourceDir && (isWithin(dir, sourceDir) || isWithin(sourceDir, dir)))
    throw new InputError(
      "metadata-dir",
      `${dir} ${isWithin(dir, sourceDir) ? "lies inside" : "contains"} source-dir ${sourceDir}: the build would read what the run writes there (its config.toml as the next template) and the artifact would carry the tree; ${fix}`
    );
  return dir;
}
function prefixOf(prefix) {
  if (/[,\s]/.test(prefix) || hasControl(prefix) || prefix.length > 200)
    throw new InputError(
      "cache-key-prefix",
      `'${shown(prefix)}' may not contain commas, white space or control characters and must be at most 200 characters.`
    );
  return prefix;
}
function tokenOf(raw) {
  if (/\s/.test(raw) || hasControl(raw))
    throw new InputError(
      "github-token",
      "contains white space or a control character; give the token alone (the default is the github.token of the job)."
    );
  return raw;
}
function branchTemplateOf(raw) {
  const problem = branchTemplateProblem(raw);
  if (problem)
    throw new InputError(
      "publish-branch",
      `'${shown(raw)}' ${problem}; the default is ${DEFAULT_BRANCH_TEMPLATE}.`
    );
  return raw;
}
function componentOf(raw) {
  if (!raw) return null;
  const problem = componentProblem(raw);
  if (problem)
    throw new InputError(
      "publish-component",
      `'${shown(raw)}' ${problem}; leave it empty for <source name>-rust-<toolchain version>.`
    );
  return raw;
}
function publishOf(raw, mode) {
  const on = bool("publish", raw);
  if (on && mode === "emit")
    throw new InputError(
      "publish",
      "mode 'emit' generates no flake to publish; use mode 'emit-then-build' or 'build' (or publish later with `rust-bootstrap-nix publish --metadata-dir DIR`)."
    );
  return on;
}
function optional(name, raw, problemOf) {
  if (!raw) return null;
  const problem = problemOf(raw);
  if (problem) throw new InputError(name, problem);
  return raw;
}
function secretKeyOf(raw, cache) {
  const key = optional("binary-cache-secret-key", raw, secretKeyProblem);
  if (key && !cache)
    throw new InputError(
      "binary-cache-secret-key",
      "is set, but binary-cache is empty; give the store URL to push to in binary-cache, or leave the key empty."
    );
  return key;
}
function buildOnly(name, value, given, mode) {
  if (given && mode !== "build")
    throw new InputError(
      name,
      `is set, but mode '${mode}' reads no earlier emit's metadata; use it with mode 'build', or leave it unset.`
    );
  return value;
}
function parseInputs(source, env = process.env, cwd = process.cwd()) {
  const get = (name) => (source(name) ?? "").trim() || INPUT_DEFAULTS[name];
  const base = env.GITHUB_WORKSPACE || cwd;
  const problems = [];
  const check = (fn, fallback) => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e);
      return fallback;
    }
  };
  const sourceDir = check(() => sourceDirOf(get("source-dir"), base), null);
  const commandRaw = get("command");
  const command = check(() => commandRaw ? splitCommand(commandRaw) : null, null);
  if (sourceDir) check(() => checkBuildable(sourceDir, command), void 0);
  const configTemplate = sourceDir ? check(() => templateOf(get("config-template"), sourceDir), null) : null;
  const config = get("config");
  if (sourceDir && config)
    check(() => checkToml("config", config, "the inline config", sourceDir), void 0);
  const nixConf = get("nix-conf");
  const nixConfIssue = nixConfProblem(nixConf);
  if (nixConfIssue) problems.push(new InputError("nix-conf", nixConfIssue));
  const toolchain = check(() => noControl("toolchain", get("toolchain")), "");
  const binaryCache = check(
    () => optional("binary-cache", get("binary-cache"), storeUrlProblem),
    null
  );
  const inputs = {
    sourceDir: sourceDir ?? "",
    command,
    toolchain: toolchain || null,
    targets: check(
      () => list("targets", get("targets"), TARGET2, "target triples such as aarch64-unknown-linux-gnu"),
      []
    ),
    components: check(
      () => list(
        "components",
        get("components"),
        COMPONENT2,
        "component names such as rust-src or clippy"
      ),
      []
    ),
    configTemplate,
    config,
    mode: check(() => oneOf("mode", get("mode"), MODES), "emit"),
    metadataDir: check(() => metadataDirOf(get("metadata-dir"), base, env, sourceDir), ""),
    sccache: check(() => bool("sccache", get("sccache")), false),
    cache: check(() => bool("cache", get("cache")), false),
    cacheKeyPrefix: check(() => prefixOf(get("cache-key-prefix")), ""),
    saveCache: check(() => bool("save-cache", get("save-cache")), false),
    installNix: check(() => oneOf("install-nix", get("install-nix"), INSTALL_NIX), "auto"),
    nixConf,
    binaryCache,
    binaryCacheSecretKey: check(
      () => secretKeyOf(get("binary-cache-secret-key"), binaryCache),
      null
    ),
    buildersSshKey: check(
      () => optional("builders-ssh-key", get("builders-ssh-key"), sshKeyProblem),
      null
    ),
    githubToken: check(() => tokenOf((source("github-token") ?? "").trim()), ""),
    checkRun: check(() => bool("check-run", get("check-run")), false),
    uploadArtifact: check(() => bool("upload-artifact", get("upload-artifact")), false),
    reusePlan: check(() => bool("reuse-plan", get("reuse-plan")), false),
    buildOnce: check(() => bool("build-once", get("build-once")), false),
    publish: check(() => publishOf(get("publish"), get("mode").toLowerCase()), false),
    publishRemote: check(() => noControl("publish-remote", get("publish-remote")), ""),
    publishBranch: check(() => branchTemplateOf(get("publish-branch")), ""),
    publishComponent: check(() => componentOf(get("publish-component")), null),
    metadataDigest: check(() => {
      const digest2 = optional("metadata-digest", get("metadata-digest"), digestInputProblem);
      return buildOnly("metadata-digest", digest2, digest2 !== null, get("mode").toLowerCase());
    }, null),
    trustMetadata: check(() => {
      const trust = oneOf("trust-metadata", get("trust-metadata"), TRUST_METADATA);
      return buildOnly("trust-metadata", trust, trust !== "false", get("mode").toLowerCase());
    }, "false")
  };
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new InputErrors(problems);
  return inputs;
}
function defaultCommand(sourceDir) {
  return isRustTree(sourceDir) ? ["python3", "x.py", "build"] : ["cargo", "build"];
}

// src/host/ports.ts
function memoryState() {
  const values = /* @__PURE__ */ new Map();
  return {
    save: (name, value) => void values.set(name, value),
    load: (name) => values.get(name) ?? null
  };
}
function processEnvironment(env = process.env) {
  return {
    addPath: (dir) => {
      env.PATH = env.PATH ? `${dir}:${env.PATH}` : dir;
    },
    exportVariable: (name, value) => {
      env[name] = value;
    }
  };
}

// src/util/cancel.ts
var Interrupted = class extends Error {
  constructor(signal) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
    this.name = "AbortError";
  }
  signal;
};
function abortSignalName(signal) {
  return signal.reason instanceof Interrupted ? signal.reason.signal : "SIGTERM";
}
var CancelledError = class extends Error {
  constructor(signal, stage, cleaned) {
    super(
      `Cancelled (${signal}) while ${stage}; cleaned up: ${cleaned.length ? cleaned.join(", ") : "nothing was left to undo"}.`
    );
    this.signal = signal;
    this.stage = stage;
    this.cleaned = cleaned;
    this.name = "CancelledError";
  }
  signal;
  stage;
  cleaned;
  /** summary.md as written for the cancellation (the action's job summary too). */
  summary = null;
};
function exitCodeFor(signal) {
  return signal === "SIGINT" ? 130 : 143;
}

// src/log.ts
function redactingLog(log, scrub) {
  return {
    info: (m) => log.info(scrub(m)),
    warning: (m) => log.warning(scrub(m)),
    error: (m) => log.error(scrub(m)),
    group: (title, fn) => log.group(scrub(title), fn),
    progress: (label, done, total, detail) => log.progress(label, done, total, detail),
    mask: (v) => log.mask(v)
  };
}

// src/nix-install/index.ts
async function ensureNix(o) {
  const problem = nixConfProblem(o.nixConf);
  if (problem) throw new NixInstallError(problem);
  const env = o.env ?? process.env;
  if (o.installNix !== "true") {
    const found = await findNix(o);
    if (found) {
      o.log.info(`Using Nix ${found.version} at ${found.nix} (found on ${found.via})`);
      (o.job ?? processEnvironment(env)).addPath(found.bin);
      return {
        installed: false,
        nix: found.nix,
        bin: found.bin,
        version: found.version,
        nixConfig: nixConfigEnv(o.nixConf, env.NIX_CONFIG)
      };
    }
    if (o.installNix === "false") {
      throw new NixInstallError(
        `install-nix is false, but no Nix was found on PATH or in ${(o.profileBins ?? defaultProfileBins(env)).join(", ")}; install Nix before this step or set install-nix: auto`
      );
    }
  }
  const { installNix } = await import("./install-AJ2GTQSA.js");
  const installed = await installNix({
    githubToken: o.githubToken,
    serverUrl: o.serverUrl,
    nixConf: o.nixConf,
    log: o.log,
    env,
    job: o.job ?? processEnvironment(env),
    url: o.url,
    timeoutMs: o.timeoutMs,
    attempts: o.attempts,
    tempDir: o.tempDir,
    signal: o.signal
  });
  return { installed: true, ...installed, nixConfig: env.NIX_CONFIG ?? "" };
}

// src/stages/nix-setup.ts
async function nixEnvironment(inputs, ctx) {
  const setup = await ensureNix({
    installNix: inputs.installNix,
    nixConf: inputs.nixConf,
    githubToken: inputs.githubToken,
    serverUrl: ctx.env.GITHUB_SERVER_URL,
    log: ctx.log,
    env: ctx.env,
    job: ctx.job,
    signal: ctx.signal
  }).catch((e) => {
    if (e instanceof NixInstallError && inputs.installNix === "false")
      throw new InputError("install-nix", e.message);
    throw e;
  });
  const env = {
    ...ctx.env,
    NIX_CONFIG: setup.nixConfig,
    PATH: `${setup.bin}:${ctx.env.PATH ?? ""}`
  };
  if (inputs.buildersSshKey) {
    const key = writeSecretFile(
      ctx.env,
      "builders-ssh-key",
      sshKeyFileContent(inputs.buildersSshKey)
    );
    saveSshKeyDir(ctx.state, key.dir);
    env.NIX_SSHOPTS = sshOptsWithKey(ctx.env.NIX_SSHOPTS, key.path);
  }
  return env;
}

// src/util/secrets.ts
import { existsSync as existsSync5 } from "node:fs";
import { isAbsolute } from "node:path";
var REDACTED = "***";
var MIN_SECRET_LENGTH = 8;
var SECRET_NAME_PATTERN = "token|secret|passw(or)?d|passphrase|credential|key|(^|_)pass(_|$)|(^|_)pat$|_pwd$|auth($|[^o]|o$|o[^r]|or[^s_]|ors[^_])";
var SECRET_NAME = new RegExp(SECRET_NAME_PATTERN, "i");
function isSecretName(name) {
  return SECRET_NAME.test(name) || name.startsWith("ACTIONS_");
}
var NOISE_NAME = /^(TERM|COLORTERM|LS_COLORS|SHLVL|PWD|OLDPWD|_|PS1|PS2|PROMPT_COMMAND|MAIL|DISPLAY|WINDOWID|INVOCATION_ID|JOURNAL_STREAM|TMUX|TMUX_PANE|STY|HISTFILE|HISTSIZE|LESSOPEN|LESSCLOSE)$|^(SSH_|XDG_|GITHUB_|RUNNER_|INPUT_|STATE_|RBN_)/;
var B = "(?<![A-Za-z0-9_])";
var E = "(?![A-Za-z0-9_])";
var TOKEN_SHAPES = {
  // ghp_ (classic PAT), gho_ (OAuth), ghu_/ghs_ (app user/installation), ghr_ (refresh).
  github: `${B}gh[pousr]_[A-Za-z0-9]{36,251}${E}`,
  "github fine-grained": `${B}github_pat_[A-Za-z0-9]{22,}_[A-Za-z0-9]{59,}${E}`,
  npm: `${B}npm_[A-Za-z0-9]{36}${E}`,
  gitlab: `${B}glpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])`,
  slack: `${B}xox[abposr]-[A-Za-z0-9-]{10,}(?![A-Za-z0-9-])`,
  "slack webhook": "https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]+",
  "aws access key": "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])",
  // The whole block, or everything from its start where the end is missing.
  "private key": "-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----|[\\s\\S]*$)"
};
var SHAPES = new RegExp(
  Object.values(TOKEN_SHAPES).map((p) => `(?:${p})`).join("|"),
  "g"
);
var SHAPE_START = /gh[pousr]_|github_pat_|npm_|glpat-|xox[abposr]-|hooks\.slack\.com|A[KS]IA|-----BEGIN/;
var URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:'"<>]*):([^\s/?#@'"<>]+)@/gi;
function secretsIn(text) {
  const found = SHAPE_START.test(text) ? [...text.matchAll(SHAPES)].map((m) => m[0]) : [];
  if (text.includes("://")) {
    for (const m of text.matchAll(URL_PASSWORD)) if (m[2] !== REDACTED) found.push(m[2]);
  }
  return found;
}
function isPath(value) {
  return isAbsolute(value) && existsSync5(value);
}
function maskable(value) {
  if (!value.includes("\n")) return [value];
  const lines = value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) /.test(l));
  return [value, ...lines];
}
var Redactor = class {
  /**
   * `secretValues`: scrubbed wherever they appear (from 8 characters on).
   * `onFound`: called once for each value to mask: the known ones, and every
   * shape or URL password met later in text.
   */
  constructor(secretValues, onFound = () => {
  }) {
    this.onFound = onFound;
    for (const v of secretValues) this.learn(v);
  }
  onFound;
  values = [];
  known = /* @__PURE__ */ new Set();
  static isSecretName(name) {
    return isSecretName(name);
  }
  /** Adds a value to scrub (and to mask); short and empty ones are ignored. */
  learn(value) {
    if (value.length < MIN_SECRET_LENGTH || this.known.has(value)) return;
    for (const v of maskable(value)) {
      if (this.known.has(v)) continue;
      this.known.add(v);
      this.onFound(v);
    }
    this.values = [...this.known].sort((a, b) => b.length - a.length);
  }
  /** Every known value, token shape and URL password inside `text`, replaced by ***. */
  scrub(text) {
    if (text.length < MIN_SECRET_LENGTH) return text;
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    if (SHAPE_START.test(out))
      out = out.replace(SHAPES, (m) => {
        this.learn(m);
        return REDACTED;
      });
    if (out.includes("://"))
      out = out.replace(URL_PASSWORD, (m, head2, password) => {
        if (password === REDACTED) return m;
        this.learn(password);
        return `${head2}:${REDACTED}@`;
      });
    return out;
  }
  /**
   * The kind of secret `text` (a source file's content) holds, or null: a
   * value this run knows to be one, or a token shape. URL passwords are left
   * out here: documentation in sources is full of `postgres://user:pass@host`.
   */
  secretKindIn(text) {
    if (this.values.some((v) => text.includes(v))) return "a value this run knows to be secret";
    if (!SHAPE_START.test(text)) return null;
    for (const [kind, pattern] of Object.entries(TOKEN_SHAPES))
      if (new RegExp(pattern).test(text)) return `shaped like a ${kind} secret`;
    return null;
  }
  /** A copy of a JSON value (a record, a plan) with every string in it scrubbed. */
  deep(value) {
    if (typeof value === "string") return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value !== null && typeof value === "object") {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v);
      return out;
    }
    return value;
  }
  /**
   * The environment as a record keeps it: no secret names, no secret values,
   * no host noise unless the step declared reading it (`declared`).
   */
  env(env, declared = /* @__PURE__ */ new Set()) {
    const out = {};
    for (const name of Object.keys(env).sort()) {
      if (isSecretName(name) || NOISE_NAME.test(name) && !declared.has(name)) continue;
      out[name] = this.scrub(env[name]);
    }
    return out;
  }
  /**
   * A program's output with every line scrubbed before it is passed on. Lines
   * are held until their end (`\n` or `\r`), so a secret split across two
   * chunks is still caught; `flush()` passes on what is left.
   */
  stream(output) {
    const pending = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
    const pass = (data, stream) => {
      if (data.length > 0) output(Buffer.from(this.scrubLines(data.toString("utf8"))), stream);
    };
    return {
      write: (chunk, stream) => {
        const data = Buffer.concat([pending[stream], chunk]);
        const cut = Math.max(data.lastIndexOf(10), data.lastIndexOf(13)) + 1;
        const upTo = cut === 0 && data.length > 65536 ? data.length : cut;
        pending[stream] = data.subarray(upTo);
        pass(data.subarray(0, upTo), stream);
      },
      flush: () => {
        for (const s of ["stdout", "stderr"]) {
          pass(pending[s], s);
          pending[s] = Buffer.alloc(0);
        }
      }
    };
  }
  scrubLines(text) {
    return text.split(/(\r?\n|\r)/).map((part, i) => i % 2 === 0 ? this.scrub(part) : part).join("");
  }
};
function secretValuesOf(env, ...inputs) {
  const values = /* @__PURE__ */ new Set();
  const add = (v) => {
    if (v.length >= MIN_SECRET_LENGTH) values.add(v);
  };
  for (const v of inputs) if (v) add(v);
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name) && !isPath(value)) add(value);
    for (const s of secretsIn(value)) add(s);
  }
  return [...values];
}
var SECRET_INPUTS = {
  "github-token": "githubToken",
  "binary-cache-secret-key": "binaryCacheSecretKey",
  "builders-ssh-key": "buildersSshKey"
};
function secretInputsOf(inputs) {
  return Object.values(SECRET_INPUTS).map((k) => inputs[k]);
}
function withheldFromBuild(...secrets) {
  return secrets.filter((s) => s !== null && s.length >= MIN_SECRET_LENGTH);
}

// src/pipeline/journal.ts
var Journal = class {
  #entries = {};
  /** Records what a stage finished; a second write of one entry is a bug. Returns `value`. */
  note(key, value) {
    if (key in this.#entries) throw new Error(`internal: the journal's ${key} is written twice`);
    this.#entries[key] = value;
    return value;
  }
  get entries() {
    return this.#entries;
  }
};
function resultsOf(j) {
  const e = j.entries;
  const reused = e.reuse?.kind === "fallback" ? void 0 : e.reused;
  return {
    prepared: e.prepared,
    cached: e.cached ?? e.nixRestored,
    recorded: e.recorded ?? reused,
    built: e.built,
    reuse: e.reuse,
    published: e.published
  };
}
function runningSccache(j) {
  return j.entries.cached?.sccache ?? null;
}

// src/stages/actions-caches.ts
import { createHash as createHash4 } from "node:crypto";

// src/actions-cache/key.ts
import { createHash as createHash2 } from "node:crypto";
var KEY_FORMAT = "rbn-cache-key-1";
var COMPILE_ENV_NAMES = /* @__PURE__ */ new Set([
  "RUSTFLAGS",
  "RUSTDOCFLAGS",
  "CARGO_ENCODED_RUSTFLAGS",
  "CARGO_ENCODED_RUSTDOCFLAGS",
  "RUSTC_BOOTSTRAP",
  "CARGO_INCREMENTAL",
  "CC",
  "CXX",
  "AR",
  "LD",
  "RANLIB",
  "CFLAGS",
  "CXXFLAGS",
  "CPPFLAGS",
  "LDFLAGS",
  "MACOSX_DEPLOYMENT_TARGET"
]);
var COMPILE_ENV_PREFIXES = [
  "CARGO_PROFILE_",
  "CARGO_BUILD_",
  "CARGO_TARGET_",
  "CC_",
  "CXX_",
  "AR_",
  "CFLAGS_",
  "CXXFLAGS_",
  "TARGET_",
  "HOST_"
];
var NOT_COMPILE_ENV = /^CARGO_TARGET_DIR$|^CARGO_BUILD_TARGET_DIR$/;
function compileEnv(env) {
  return Object.entries(env).filter((entry) => {
    const [name, value] = entry;
    if (value === void 0 || NOT_COMPILE_ENV.test(name) || isSecretName(name)) return false;
    return COMPILE_ENV_NAMES.has(name) || COMPILE_ENV_PREFIXES.some((p) => name.startsWith(p));
  }).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}
function digest(parts, length) {
  return createHash2("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, length);
}
function toolchainDigest(t) {
  return digest([KEY_FORMAT, t.rustcVersion.trim(), t.storePath], 12);
}
function inputsDigest(i) {
  const locks = [...i.cargoLocks].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0).map((l) => [l.path, l.content]);
  return digest([KEY_FORMAT, locks, i.config, compileEnv(i.env)], 16);
}
function segment(s) {
  return s.trim().replace(/[,\s]+/g, "_");
}
function cacheKeys(i) {
  const platform = [i.prefix, i.name, i.os, i.arch, i.system].map(segment).join("-");
  const withToolchain = `${platform}-${toolchainDigest(i.toolchain)}`;
  return {
    key: `${withToolchain}-${inputsDigest(i)}`,
    // The trailing dash stops `...-x86_64-linux-` from matching `...-x86_64-linux2-...`.
    restoreKeys: [`${withToolchain}-`, `${platform}-`]
  };
}
var RUNNER_OS = { linux: "Linux", darwin: "macOS", win32: "Windows" };
var RUNNER_ARCH = { x64: "X64", arm64: "ARM64", arm: "ARM", ia32: "X86" };
function runnerPlatform(env, platform, arch) {
  return {
    os: env.RUNNER_OS || RUNNER_OS[platform] || platform,
    arch: env.RUNNER_ARCH || RUNNER_ARCH[arch] || arch
  };
}

// src/actions-cache/key-inputs.ts
import { execFile } from "node:child_process";
import { existsSync as existsSync6 } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join as join4, relative, sep } from "node:path";
import { promisify } from "node:util";
var run2 = promisify(execFile);
var SKIP_DIRS = /* @__PURE__ */ new Set([".git", "target", "build", "node_modules"]);
var MAX_DEPTH = 4;
async function findCargoLocks(sourceDir) {
  const locks = [];
  const walk2 = async (dir, depth) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path4 = join4(dir, e.name);
      if (e.isFile() && e.name === "Cargo.lock") {
        const rel = relative(sourceDir, path4).split(sep).join("/");
        locks.push({ path: rel, content: await readFile(path4, "utf8") });
      } else if (e.isDirectory() && depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) {
        if (!existsSync6(join4(path4, "CACHEDIR.TAG"))) await walk2(path4, depth + 1);
      }
    }
  };
  await walk2(sourceDir, 0);
  return locks.sort((a, b) => a.path < b.path ? -1 : 1);
}
async function toolchainIdentity(rustc, storePath, verbose) {
  return {
    rustcVersion: verbose ?? (await run2(rustc, ["-vV"], { timeout: 6e4 })).stdout,
    storePath: storePath === "system" ? `system:${rustc}` : storePath
  };
}

// src/nix/local-cache.ts
import { existsSync as existsSync7, readdirSync, readFileSync as readFileSync7, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename as basename2, join as join5 } from "node:path";
var INDEX = "store-paths";
var NAR_COMPRESSION = "compression=zstd&compression-level=1";
async function importBinaryCache(dir, env, log, signal) {
  const index = `${dir}/${INDEX}`;
  if (!existsSync7(index)) return 0;
  const paths = readFileSync7(index, "utf8").split("\n").filter((p) => p.startsWith("/nix/store/"));
  if (paths.length === 0) return 0;
  const r = await run(
    "nix",
    [...NIX_FEATURES, "copy", "--no-check-sigs", "--from", `file://${dir}`, ...paths],
    { env, signal }
  );
  if (r.code !== 0) {
    log.warning(
      `The restored Nix binary cache could not be imported; steps will be built instead:
${tail(r.stderr, 5)}`
    );
    return 0;
  }
  return paths.length;
}
async function exportBinaryCache(dir, roots, env, log, signal) {
  const closure = await run("nix", [...NIX_FEATURES, "path-info", "--recursive", ...roots], {
    env,
    signal
  });
  const copied = closure.code === 0 ? await run(
    "nix",
    [...NIX_FEATURES, "copy", "--to", `file://${dir}?${NAR_COMPRESSION}`, ...roots],
    { env, signal }
  ) : closure;
  if (copied.code !== 0) {
    log.warning(
      `The Nix binary cache was not written; the next run will build its steps again:
${tail(copied.stderr, 5)}`
    );
    return false;
  }
  const index = `${dir}/${INDEX}`;
  writeFileSync(`${index}.new`, closure.stdout);
  renameSync(`${index}.new`, index);
  pruneBinaryCache(dir, closure.stdout.split("\n").filter(Boolean));
  return true;
}
function pruneBinaryCache(dir, keep) {
  const hashes = new Set(keep.map((p) => basename2(p).slice(0, 32)));
  const nars = /* @__PURE__ */ new Set();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".narinfo")) continue;
    const file = join5(dir, name);
    if (!hashes.has(name.slice(0, -".narinfo".length))) {
      rmSync(file, { force: true });
      continue;
    }
    const url = /^URL: (.+)$/m.exec(readFileSync7(file, "utf8"))?.[1];
    if (url) nars.add(basename2(url));
  }
  const narDir = join5(dir, "nar");
  if (!existsSync7(narDir)) return;
  for (const name of readdirSync(narDir))
    if (!nars.has(name)) rmSync(join5(narDir, name), { force: true });
}

// src/pipeline/context.ts
function enter(ctx, stage) {
  ctx.signal?.throwIfAborted();
  ctx.progress.stage = stage;
  ctx.progress.entered.push({ stage, at: Date.now() });
}
function stageTimes(progress, now) {
  const times = /* @__PURE__ */ new Map();
  progress.entered.forEach((e, i) => {
    const end = progress.entered[i + 1]?.at ?? now;
    times.set(e.stage, (times.get(e.stage) ?? 0) + (end - e.at));
  });
  return [...times].map(([stage, ms]) => ({ stage, ms }));
}

// src/plan/graph-inputs.ts
import { createHash as createHash3 } from "node:crypto";
import { existsSync as existsSync8, readdirSync as readdirSync2, readFileSync as readFileSync8, statSync as statSync3 } from "node:fs";
import { homedir } from "node:os";
import { dirname as dirname2, join as join6, relative as relative2 } from "node:path";

// src/plan/roots.ts
import { basename as basename3 } from "node:path";

// src/util/order.ts
function byCodeUnits(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function byId(a, b) {
  return byCodeUnits(a.id, b.id);
}

// src/plan/roots.ts
function under(path4, dir) {
  return path4 === dir || path4.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}
function computeRoots(sourceDir, targetDirs, externalDirs) {
  const roots = [{ name: "w", path: sourceDir }];
  const taken = /* @__PURE__ */ new Set(["w"]);
  const add = (base, path4) => {
    if (roots.some((r) => under(path4, r.path))) return;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    roots.push({ name, path: path4 });
  };
  for (const t of targetDirs) add("t", t);
  const byDepth = (a, b) => a.length - b.length || byCodeUnits(a, b);
  for (const d of [...new Set(externalDirs)].sort(byDepth)) {
    add(externalRootName(d), d);
  }
  return roots;
}
function externalRootName(dir) {
  return `x/${basename3(dir).replace(/[^A-Za-z0-9_.+-]/g, "_") || "root"}`;
}
function rootOf(roots, path4) {
  let best = null;
  for (const r of roots)
    if (under(path4, r.path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}
function wholePathPattern(paths, leftBoundary = true) {
  const sorted = paths.filter(Boolean).sort((a, b) => b.length - a.length);
  const escaped = sorted.map(escapeRegExp);
  const left = leftBoundary ? `(?<=^|[\\s:;,="'(\\[@])` : "";
  return escaped.length ? new RegExp(`${left}(?:${escaped.join("|")})(?=$|[/\\s:;,="')\\]])`, "g") : null;
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function unalias(value, aliases) {
  if (aliases.length === 0) return value;
  let pattern = aliasPatterns.get(aliases);
  if (!pattern) {
    pattern = wholePathPattern(aliases.map((a) => a.alias));
    aliasPatterns.set(aliases, pattern);
  }
  return value.replace(pattern, (m) => aliases.find((a) => a.alias === m).path);
}
var aliasPatterns = /* @__PURE__ */ new WeakMap();

// src/plan/graph-inputs.ts
var MANIFEST_NAMES = /* @__PURE__ */ new Set([
  "Cargo.toml",
  "Cargo.lock",
  "build.rs",
  "rust-toolchain",
  "rust-toolchain.toml"
]);
var DISCOVERED = ["src/bin", "examples", "tests", "benches"];
var SKIP_DIRS2 = /* @__PURE__ */ new Set([".git", "node_modules"]);
var BOOTSTRAP_CRATES = /* @__PURE__ */ new Set(["bootstrap", "build_helper"]);
var XPY_FILES = ["x.py", "src/stage0", "src/version", "src/ci/channel"];
var GONE = "gone";
function hashFile(path4) {
  try {
    return createHash3("sha256").update(readFileSync8(path4)).digest("hex");
  } catch {
    return GONE;
  }
}
var hashText = (text) => createHash3("sha256").update(text).digest("hex");
function decidesGraph(step) {
  return step.kind === "build-script" || step.type === "build_script_run" || BOOTSTRAP_CRATES.has(step.crate);
}
function walkTree(sourceDir, targetDirs, out) {
  const dir = (dir2, entries) => {
    const names = new Set(entries.map((e) => e.name));
    if (names.has("CACHEDIR.TAG") && dir2 !== sourceDir) return false;
    const rel = relative2(sourceDir, dir2) || ".";
    if (names.has("Cargo.toml")) {
      const listing = DISCOVERED.map((d) => {
        const p = join6(dir2, d);
        const found = existsSync8(p) ? readdirSync2(p).sort().join("\n") : "";
        return `${d}:
${found}`;
      });
      for (const f of ["src/lib.rs", "src/main.rs"])
        listing.push(`${f}: ${existsSync8(join6(dir2, f))}`);
      out[`targets of ${rel}`] = hashText(listing.join("\n"));
    }
    return true;
  };
  const entry = (e, path4) => {
    if (!e.isDirectory()) {
      if (MANIFEST_NAMES.has(e.name)) out[`file ${relative2(sourceDir, path4)}`] = hashFile(path4);
      return false;
    }
    if (SKIP_DIRS2.has(e.name) || targetDirs.some((t) => under(path4, t))) return false;
    if (e.name !== ".cargo") return true;
    const rel = relative2(sourceDir, dirname2(path4)) || ".";
    for (const c of ["config", "config.toml"])
      if (existsSync8(join6(path4, c))) out[`file ${rel}/.cargo/${c}`] = hashFile(join6(path4, c));
    return false;
  };
  walk(sourceDir, { dir, entry });
}
function outerCargoConfigs(ctx, out) {
  const dirs = [];
  for (let d = dirname2(ctx.sourceDir); ; d = dirname2(d)) {
    dirs.push(join6(d, ".cargo"));
    if (d === dirname2(d)) break;
  }
  dirs.push(ctx.env.CARGO_HOME || join6(ctx.env.HOME || homedir(), ".cargo"));
  for (const d of dirs)
    for (const c of ["config", "config.toml"]) {
      const p = join6(d, c);
      if (existsSync8(p)) out[`file ${p}`] = hashFile(p);
    }
}
function variables(plan, env, out) {
  const names = /* @__PURE__ */ new Set();
  for (const n of Object.keys(env)) if (/^(CARGO|RUST)/.test(n) && !isSecretName(n)) names.add(n);
  for (const s of plan.steps) for (const n of s.env_deps) names.add(n);
  for (const n of [...names].sort())
    out[`variable ${n}`] = env[n] === void 0 ? "unset" : hashText(env[n]);
}
function graphInputsOf(plan, ctx) {
  const graph = {
    toolchain: hashText(ctx.toolchain),
    command: hashText(JSON.stringify(ctx.command)),
    "config.toml": hashText(ctx.configToml),
    "source-dir": hashText(ctx.sourceDir)
  };
  walkTree(ctx.sourceDir, plan.target_dirs, graph);
  outerCargoConfigs(ctx, graph);
  variables(plan, ctx.env, graph);
  if (existsSync8(join6(ctx.sourceDir, "x.py"))) {
    for (const f of XPY_FILES) graph[`file ${f}`] = hashFile(join6(ctx.sourceDir, f));
    const entry = (e, p) => {
      if (e.isFile()) graph[`file ${relative2(ctx.sourceDir, p)}`] = hashFile(p);
      return e.isDirectory();
    };
    const bootstrap = join6(ctx.sourceDir, "src", "bootstrap");
    if (statSync3(bootstrap, { throwIfNoEntry: false })?.isDirectory())
      walk(bootstrap, { entry, onError: "throw" });
  }
  const own = (p) => plan.target_dirs.some((t) => under(p, t));
  const sources = {};
  for (const step of plan.steps) {
    const decides = decidesGraph(step);
    for (const p of step.sources) {
      if (own(p)) continue;
      if (decides) graph[`file ${relative2(ctx.sourceDir, p)}`] ??= hashFile(p);
      else sources[p] ??= hashFile(p);
    }
  }
  for (const p of Object.keys(sources))
    if (graph[`file ${relative2(ctx.sourceDir, p)}`] !== void 0) delete sources[p];
  return { graph, sources };
}
function graphDigest(g) {
  const sorted = (o) => Object.entries(o).sort(([a], [b]) => a < b ? -1 : 1);
  return hashText(JSON.stringify([sorted(g.graph), sorted(g.sources)]));
}
function compareGraphInputs(before, now) {
  const keys = /* @__PURE__ */ new Set([...Object.keys(before.graph), ...Object.keys(now.graph)]);
  const graph = [...keys].filter((k) => before.graph[k] !== now.graph[k]).sort();
  const sources = [];
  const gone = [];
  for (const [p, h] of Object.entries(before.sources)) {
    const n = now.sources[p];
    if (n === GONE || n === void 0) gone.push(p);
    else if (n !== h) sources.push(p);
  }
  return { graph, sources: sources.sort(), gone: gone.sort() };
}

// src/sccache/locate.ts
import { constants as constants2 } from "node:fs";
import { access } from "node:fs/promises";
import { isAbsolute as isAbsolute2, resolve as resolve3 } from "node:path";
async function isExecutable(path4) {
  try {
    await access(path4, constants2.X_OK);
    return true;
  } catch {
    return false;
  }
}
var FIX = "install sccache (nixpkgs `sccache`, or e.g. `apt-get install sccache`) so that it is on PATH, or set the `sccache` input to false";
async function locateSccache(given = null, env = process.env) {
  const name = given ?? "sccache";
  if (name.includes("/")) {
    const path4 = isAbsolute2(name) ? name : resolve3(name);
    if (await isExecutable(path4)) return path4;
    throw new Error(`sccache: ${path4} is not an executable file; ${FIX}`);
  }
  const onPath = whichIn(name, env);
  if (onPath) return onPath;
  throw new Error(
    `sccache: the \`sccache\` input is true but no \`${name}\` was found on PATH; ${FIX}`
  );
}

// src/stages/actions-caches.ts
function nixCacheDir(env) {
  return runnerDirs.nixBinaryCache(env);
}
async function restoreCaches(c) {
  const { inputs, env, log, state } = c;
  if (!inputs.cache) return { hit: "false", nixKeyBase: null };
  const [toolchain, cargoLocks] = await Promise.all([
    toolchainIdentity(c.rustc, c.toolchain, c.rustcVerbose),
    findCargoLocks(inputs.sourceDir)
  ]);
  const keysFor = (name) => cacheKeys({
    prefix: inputs.cacheKeyPrefix,
    name,
    ...runnerPlatform(env, process.platform, process.arch),
    system: currentNixSystem(),
    toolchain,
    cargoLocks,
    config: c.configToml,
    env
  });
  const { combineHits, restoreNamedCache } = await import("./restore-OBFTTGAK.js");
  const hits = [];
  if (c.restore.sccache) {
    const k = keysFor(SCCACHE);
    hits.push(
      (await restoreNamedCache(
        { name: SCCACHE, paths: [defaultSccacheDir(env)], ...k },
        { log, state }
      )).hit
    );
  }
  let nixKeyBase = null;
  if (c.restore.nix) {
    const k = keysFor(NIX_CACHE);
    nixKeyBase = k.key;
    const r = await restoreNamedCache(
      {
        name: NIX_CACHE,
        paths: [nixCacheDir(env)],
        key: k.key,
        restoreKeys: [`${k.key}-`, ...k.restoreKeys]
      },
      { log, state }
    );
    hits.push(r.matchedKey?.startsWith(`${k.key}-`) ? "true" : r.hit);
  }
  return { hit: hits.length ? combineHits(hits) : "false", nixKeyBase };
}
async function keepNixCache(inputs, cached, outPaths, kept, ctx, nixEnv) {
  if (!cached.nixKeyBase || !inputs.saveCache) return;
  const keyed = kept ? [...outPaths, graphDigest(kept.inputs)] : outPaths;
  if (!settleNixCacheKey(ctx.state, cached.nixKeyBase, keyed)) return;
  enter(ctx, "exporting the Nix binary cache");
  await exportBinaryCache(nixCacheDir(ctx.env), [...outPaths], nixEnv, ctx.log, ctx.signal);
}
function settleNixCacheKey(store, keyBase, resultPaths) {
  const state = loadCacheState(store, NIX_CACHE);
  if (!state) return false;
  const key = `${keyBase}-${createHash4("sha256").update(resultPaths.join(" ")).digest("hex").slice(0, 16)}`;
  saveCacheState(store, NIX_CACHE, { ...state, key, settled: true });
  return state.matchedKey !== key;
}
async function startCompilerCache(inputs, nixToolchain, env, log, signal) {
  if (!inputs.sccache) return null;
  try {
    const binary = nixToolchain ? `${await buildOutPath(`path:${nixFlakeDir()}#packages.${currentNixSystem()}.sccache`, { env, nixArgs: [], signal })}/bin/sccache` : await locateSccache(null, env);
    const s = await startSccache({ binary, dir: defaultSccacheDir(env) });
    log.info(`sccache: ${binary}, cache in ${s.dir}`);
    return s;
  } catch (e) {
    if (signal?.aborted) throw e;
    log.warning(`${e.message}. Building without sccache.`);
    return null;
  }
}
function restoreContext(inputs, prepared, ctx) {
  const { toolchain } = prepared;
  return {
    inputs,
    env: ctx.env,
    log: ctx.log,
    state: ctx.state,
    rustc: toolchain.rustc,
    toolchain: toolchain.toolchain,
    rustcVerbose: toolchain.verbose,
    configToml: prepared.configToml
  };
}
async function restoreNixCache(inputs, prepared, ctx) {
  enter(ctx, "restoring the caches");
  return restoreCaches({
    ...restoreContext(inputs, prepared, ctx),
    restore: { sccache: false, nix: true }
  });
}
async function restoreForEmit(inputs, prepared, ctx, nix, nixRestored = null) {
  enter(ctx, "restoring the caches");
  const restored = await restoreCaches({
    ...restoreContext(inputs, prepared, ctx),
    restore: { sccache: inputs.sccache, nix: inputs.mode !== "emit" && !nixRestored }
  });
  let hit = restored.hit;
  if (nixRestored && inputs.cache) {
    const { combineHits } = await import("./restore-OBFTTGAK.js");
    hit = inputs.sccache ? combineHits([nixRestored.hit, restored.hit]) : nixRestored.hit;
  }
  enter(ctx, "starting sccache");
  const nixToolchain = prepared.spec.kind === "nix";
  const sccache = await startCompilerCache(
    inputs,
    nixToolchain,
    nixToolchain ? await nix() : ctx.env,
    ctx.log,
    ctx.signal
  );
  return { hit, nixKeyBase: nixRestored?.nixKeyBase ?? restored.nixKeyBase, sccache };
}

// src/emit/index.ts
import { readdirSync as readdirSync7, statSync as statSync6 } from "node:fs";
import { isAbsolute as isAbsolute5, join as join12 } from "node:path";

// src/trust/forbidden-files.ts
import { realpathSync } from "node:fs";
import { basename as basename4, join as join7, relative as relative3, sep as sep2 } from "node:path";
var CREDENTIAL_FILES = /* @__PURE__ */ new Set([
  ".netrc",
  "_netrc",
  ".git-credentials",
  ".npmrc",
  ".pypirc",
  ".pgpass",
  // cargo's registry tokens ($CARGO_HOME/credentials(.toml)).
  "credentials",
  "credentials.toml"
]);
var CREDENTIAL_DIRS = /* @__PURE__ */ new Set([".git", ".ssh", ".gnupg"]);
var HOME_CREDENTIAL_DIRS = [".docker", ".aws", ".kube", ".config/gh", ".config/git"];
function forbiddenContext(env) {
  return { home: env.HOME || null, runnerTemp: env.RUNNER_TEMP || null };
}
function forbiddenByName(path4, ctx) {
  const segments = path4.split("/").filter(Boolean);
  const dir = segments.slice(0, -1).find((s) => CREDENTIAL_DIRS.has(s));
  if (dir === ".git" || basename4(path4) === ".git")
    return "it is git metadata (.git/), which holds the checkout's credentials";
  if (dir) return `it lies in ${dir}/, a directory of credentials`;
  if (CREDENTIAL_FILES.has(basename4(path4))) return "it is a credential file";
  if (ctx.home) {
    const home = ctx.home;
    const d = HOME_CREDENTIAL_DIRS.find((c) => under(path4, join7(home, c)));
    if (d) return `it lies in ~/${d}, a directory of credentials`;
  }
  if (ctx.runnerTemp && under(path4, ctx.runnerTemp)) {
    const first = relative3(ctx.runnerTemp, path4).split(sep2)[0] ?? "";
    if (first.startsWith("_")) return "it is one of the runner's own files (RUNNER_TEMP/_*)";
    if (first.startsWith("rbn-secret-") || first.startsWith("rbn-records-"))
      return "it is one of this action's private files under RUNNER_TEMP";
  }
  return null;
}
function forbiddenSource(path4, ctx) {
  const named = forbiddenByName(path4, ctx);
  if (named) return named;
  let real;
  try {
    real = realpathSync(path4);
  } catch {
    return null;
  }
  const resolved2 = real === path4 ? null : forbiddenByName(real, ctx);
  return resolved2 ? `it is a symlink to ${real}: ${resolved2}` : null;
}

// src/emit/analyze.ts
import { createHash as createHash6 } from "node:crypto";
import { existsSync as existsSync9, readdirSync as readdirSync4, readFileSync as readFileSync10, statSync as statSync4 } from "node:fs";
import { basename as basename6, dirname as dirname4, isAbsolute as isAbsolute4, join as join8, resolve as resolve5 } from "node:path";

// src/plan/step-env.ts
var CARGO_HOST_VARS = /^CARGO_(MAKEFLAGS|HOME|TARGET_DIR|BUILD_.*|TERM_.*|NET_.*|REGISTRIES_.*|REGISTRY_.*|HTTP_.*|INCREMENTAL|LOG|ALIAS_.*|CACHE_.*)$/;
var HOST_VARS = /^(PATH|HOME|TMPDIR|TMP|TEMP|PWD|OLDPWD|SHLVL|_|TERM|MAKEFLAGS|MFLAGS|MAKELEVEL|NUM_JOBS|JOBSERVER_.*)$|^(RBN_|SSH_|XDG_|GITHUB_|RUNNER_|INPUT_|STATE_)/;
var RUN_VARS = /* @__PURE__ */ new Set([
  "TARGET",
  "HOST",
  "OPT_LEVEL",
  "DEBUG",
  "PROFILE",
  "RUSTC",
  "RUSTDOC",
  "RUSTC_LINKER",
  "OUT_DIR",
  "RUSTC_BOOTSTRAP"
]);
function stepEnvNames(type, env, declared, ctx) {
  const decl = new Set(declared);
  const pids = new Set(ctx.pids.map(String));
  return Object.keys(env).filter((name) => {
    if (decl.has(name)) return true;
    const value = env[name];
    if (HOST_VARS.test(name) || ctx.recorderPaths.some((p) => value.includes(p))) return false;
    if (name.startsWith("CARGO_")) return !CARGO_HOST_VARS.test(name);
    if (name === "OUT_DIR" || name === "RUSTC_BOOTSTRAP") return true;
    if (type === "build_script_run" && (RUN_VARS.has(name) || name.startsWith("DEP_")))
      return true;
    return ctx.buildEnv !== null && ctx.buildEnv[name] !== value && !pids.has(value);
  }).sort();
}

// src/emit/depinfo.ts
import { isAbsolute as isAbsolute3, resolve as resolve4 } from "node:path";
function unescapeMake(path4) {
  return path4.replace(/\\(.)/g, "$1");
}
function words(text) {
  return (text.match(/(?:\\.|[^\s\\])+/g) ?? []).map(unescapeMake);
}
function parseDepInfo(text, cwd) {
  const files = /* @__PURE__ */ new Set();
  const envDeps = /* @__PURE__ */ new Set();
  for (const line of text.split("\n")) {
    if (line.startsWith("# env-dep:")) {
      const kv = line.slice("# env-dep:".length);
      const eq = kv.indexOf("=");
      envDeps.add(eq < 0 ? kv : kv.slice(0, eq));
      continue;
    }
    if (line.startsWith("#") || line.trim() === "") continue;
    const m = /^((?:\\.|[^\\])*?):(?=\s|$)(.*)$/.exec(line);
    if (!m) continue;
    for (const w of words(m[2])) files.add(isAbsolute3(w) ? w : resolve4(cwd, w));
  }
  return { files: [...files], envDeps: [...envDeps] };
}

// src/emit/placed.ts
import { createHash as createHash5 } from "node:crypto";
import { lstatSync, readdirSync as readdirSync3, readFileSync as readFileSync9 } from "node:fs";
import { basename as basename5, dirname as dirname3, relative as relative4 } from "node:path";

// src/emit/stage.ts
function stageOf(path4, env = {}) {
  const m = /\/stage(\d+)(?:-[A-Za-z-]+)?(?:\/|$)/.exec(path4);
  if (m) return Number(m[1]);
  return /^\d+$/.test(env.RUSTC_STAGE ?? "") ? Number(env.RUSTC_STAGE) : null;
}

// src/emit/placed.ts
var STAMP_MAX_BYTES = 1 << 20;
var BOOKKEEPING = /* @__PURE__ */ new Set([".fingerprint", "incremental", ".git"]);
function sha256(path4) {
  return createHash5("sha256").update(readFileSync9(path4)).digest("hex");
}
function shortHash(text) {
  return createHash5("sha256").update(text).digest("hex").slice(0, 8);
}
function findPlaced(producers, targetDirs, aliases = []) {
  const owner = /* @__PURE__ */ new Map();
  const byInode = /* @__PURE__ */ new Map();
  const bySize = /* @__PURE__ */ new Map();
  const stepDirs = /* @__PURE__ */ new Set();
  for (const p of [...producers].sort(byId)) {
    for (const f of p.files) {
      owner.set(f, p);
      stepDirs.add(dirname3(f));
      const st = lstatSync(f, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      byInode.set(`${st.dev}:${st.ino}`, f);
      if (st.size > 0) bySize.set(st.size, [...bySize.get(st.size) ?? [], f]);
    }
    for (const d of p.dirs) {
      stepDirs.add(d);
      stepDirs.add(dirname3(d));
    }
  }
  const hashes = /* @__PURE__ */ new Map();
  const hashOf = (f) => {
    let h = hashes.get(f);
    if (!h) {
      h = sha256(f);
      hashes.set(f, h);
    }
    return h;
  };
  const copyOf = (path4, size, inode) => {
    const linked = byInode.get(inode);
    if (linked) return linked;
    const same = bySize.get(size);
    if (!same) return null;
    const h = hashOf(path4);
    return same.find((f) => hashOf(f) === h) ?? null;
  };
  const copies = [];
  const candidates = [];
  const empty = [];
  const entry = (e, p) => {
    if (e.isDirectory()) {
      if (BOOKKEEPING.has(e.name) || stepDirs.has(p)) return false;
      if (readdirSync3(p).length > 0) return true;
      empty.push(p);
      return false;
    }
    if (!e.isFile() || owner.has(p)) return false;
    const st = lstatSync(p);
    const from = copyOf(p, st.size, `${st.dev}:${st.ino}`);
    if (from) copies.push({ path: p, from });
    else if (st.size > 0 && st.size <= STAMP_MAX_BYTES) candidates.push(p);
    return false;
  };
  for (const t of targetDirs) walk(t, { entry });
  const named = /* @__PURE__ */ new Set([...owner.keys(), ...copies.map((c) => c.path)]);
  const namedDirs = [
    ...targetDirs,
    ...aliases.flatMap(
      (a) => targetDirs.filter((t) => t.startsWith(`${a.path}/`)).map((t) => a.alias + t.slice(a.path.length))
    )
  ];
  const pathPattern = new RegExp(
    `(?:${namedDirs.map(escapeRegExp).join("|")})/[^\\0\\n\\r\\t "',;]*`,
    "g"
  );
  const stamps = [];
  for (const p of candidates) {
    const text = readFileSync9(p, "latin1");
    for (const m of text.matchAll(pathPattern)) {
      const token = unalias(m[0], aliases);
      if (named.has(token) || named.has(token.replace(/:$/, ""))) {
        stamps.push({ path: p, from: null });
        break;
      }
    }
  }
  const groups = /* @__PURE__ */ new Map();
  for (const f of [...copies, ...stamps]) {
    const d = dirname3(f.path);
    groups.set(d, [...groups.get(d) ?? [], f]);
  }
  return [...groups.entries()].sort(([a], [b]) => a < b ? -1 : 1).map(([dir, files]) => {
    const from = [...new Set(files.flatMap((f) => f.from ? [owner.get(f.from)] : []))];
    const stages = from.flatMap((p) => p.stage === null ? [] : [p.stage]);
    const t = targetDirs.findIndex((d) => dir === d || dir.startsWith(`${d}/`));
    const rel = relative4(targetDirs[t], dir);
    const own = stageOf(`/${rel}`);
    return {
      id: linkId(dir, `${t}:${rel}`),
      dir,
      files: files.sort((a, b) => a.path < b.path ? -1 : 1),
      emptyDirs: empty.filter((e) => dirname3(e) === dir).sort(),
      deps: from.map((p) => p.id).sort(),
      readyUs: Math.max(0, ...from.map((p) => p.endUs ?? 0)),
      stage: own ?? (stages.length ? Math.max(...stages) : null)
    };
  });
}
function linkId(dir, place2) {
  const name = `${basename5(dirname3(dir))}_${basename5(dir)}`.replace(/[^A-Za-z0-9_.-]/g, "_");
  return `link-${name}-${shortHash(place2)}`;
}

// src/emit/rustc-args.ts
var TAKES_VALUE = /* @__PURE__ */ new Set([
  "--crate-name",
  "--crate-type",
  "--edition",
  "--out-dir",
  "-o",
  "-C",
  "--codegen",
  "-L",
  "-l",
  "--extern",
  "--cfg",
  "--check-cfg",
  "--emit",
  "--error-format",
  "--json",
  "--target",
  "--cap-lints",
  "-A",
  "-W",
  "-D",
  "-F",
  "--allow",
  "--warn",
  "--deny",
  "--forbid",
  "--force-warn",
  "--print",
  "--explain",
  "--sysroot",
  "-Z",
  "--remap-path-prefix",
  "--diagnostic-width",
  "--color",
  "--env-set",
  "--crate-attr",
  "--extern-location",
  "--test-builder"
]);
function parseRustcArgs(args) {
  const u = {
    crateName: null,
    crateTypes: [],
    outDir: null,
    outFile: null,
    extraFilename: "",
    emit: [],
    externs: [],
    searchPaths: [],
    input: null,
    sysroot: null,
    isTest: false,
    isQuery: false
  };
  const take = (flag, value) => {
    switch (flag) {
      case "--crate-name":
        u.crateName = value;
        break;
      case "--crate-type":
        u.crateTypes.push(...value.split(","));
        break;
      case "--out-dir":
        u.outDir = value;
        break;
      case "-o":
        u.outFile = value;
        break;
      case "-C":
      case "--codegen":
        if (value.startsWith("extra-filename="))
          u.extraFilename = value.slice("extra-filename=".length);
        break;
      case "--emit":
        u.emit.push(...value.split(","));
        break;
      case "--print":
        u.isQuery = true;
        break;
      case "--sysroot":
        u.sysroot = value;
        break;
      case "--extern": {
        const eq = value.indexOf("=");
        u.externs.push(
          eq < 0 ? { name: value, path: null } : { name: value.slice(0, eq), path: value.slice(eq + 1) }
        );
        break;
      }
      case "-L": {
        const eq = value.indexOf("=");
        const kinds = ["dependency", "crate", "native", "framework", "all"];
        if (eq > 0 && kinds.includes(value.slice(0, eq)))
          u.searchPaths.push({ kind: value.slice(0, eq), path: value.slice(eq + 1) });
        else u.searchPaths.push({ kind: "all", path: value });
        break;
      }
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-vV" || a === "-V" || a === "--version" || a === "-v" && args[i + 1] === "-V") {
      u.isQuery = true;
      continue;
    }
    if (a === "--test") {
      u.isTest = true;
      continue;
    }
    if (TAKES_VALUE.has(a)) {
      take(a, args[++i] ?? "");
      continue;
    }
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0 && TAKES_VALUE.has(a.slice(0, eq))) {
      take(a.slice(0, eq), a.slice(eq + 1));
      continue;
    }
    const short = a.slice(0, 2);
    if (a.length > 2 && (short === "-C" || short === "-L" || short === "-l" || short === "-Z" || short === "-o")) {
      take(short, a.slice(2));
      continue;
    }
    if (a === "-") {
      u.input = "-";
      continue;
    }
    if (!a.startsWith("-") && u.input === null) u.input = a;
  }
  if (u.input === "-" || u.input === null) u.isQuery = true;
  if (u.crateName === "___") u.isQuery = true;
  return u;
}
function unitKind(u) {
  if (u.crateName?.startsWith("build_script_")) return "build-script";
  if (u.crateTypes.includes("proc-macro")) return "proc-macro";
  if (u.crateTypes.includes("bin") || u.isTest) return "bin";
  if (u.crateTypes.some((t) => ["lib", "rlib", "dylib", "cdylib", "staticlib"].includes(t)))
    return "lib";
  return u.crateTypes.length === 0 ? "bin" : "other";
}
function ownsOutputName(u, name) {
  if (!u.crateName) return false;
  const stem = u.crateName + u.extraFilename;
  return name === stem || name.startsWith(`${stem}.`) || name.startsWith(`lib${stem}.`);
}

// src/emit/analyze.ts
function isStep(a) {
  return !a.probe && a.type !== "cargo_invocation";
}
var SHIM_SUFFIX = ".rbn-real";
function shortHash2(parts) {
  return createHash6("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);
}
function sanitize(id) {
  return id.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^[^A-Za-z_]/, "_$&");
}
function isFile(path4) {
  return statSync4(path4, { throwIfNoEntry: false })?.isFile() ?? false;
}
function listDir(cache, dir) {
  let names = cache.get(dir);
  if (!names) {
    try {
      names = readdirSync4(dir);
    } catch {
      names = [];
    }
    cache.set(dir, names);
  }
  return names;
}
function walkFiles(dir, skip, onePackage = false) {
  const out = [];
  const entry = (e, p) => {
    if (e.isDirectory())
      return e.name !== ".git" && !skip.has(p) && !(onePackage && existsSync9(join8(p, "Cargo.toml")));
    if (e.isFile() || e.isSymbolicLink()) out.push(p);
    return false;
  };
  if (existsSync9(dir)) walk(dir, { entry, onError: "throw" });
  return out.sort();
}
function isRegistryPackage(dir) {
  return existsSync9(join8(dir, ".cargo-checksum.json")) || existsSync9(join8(dir, ".cargo-ok"));
}
function rerunDirectives(outputFile, aliases) {
  let text;
  try {
    text = unalias(readFileSync10(outputFile, "utf8"), aliases);
  } catch {
    return null;
  }
  const paths = [];
  const env = [];
  for (const line of text.split("\n")) {
    const m = /^cargo::?(rerun-if-changed|rerun-if-env-changed)=(.*)$/.exec(line.trimEnd());
    if (m) (m[1] === "rerun-if-changed" ? paths : env).push(m[2]);
  }
  return { paths, env };
}
function resolveAliases(raw, aliases) {
  if (aliases.length === 0) return raw;
  const env = {};
  for (const [k, v] of Object.entries(raw.env)) env[k] = unalias(v, aliases);
  return {
    ...raw,
    cwd: unalias(raw.cwd, aliases),
    argv: raw.argv.map((a) => unalias(a, aliases)),
    env
  };
}
function analyze(raws, opts) {
  const dirCache = /* @__PURE__ */ new Map();
  const byKey = /* @__PURE__ */ new Map();
  const used = /* @__PURE__ */ new Set();
  const uniqueId = (base) => {
    let id = sanitize(base);
    for (let n = 2; used.has(id); n++) id = sanitize(`${base}-${n}`);
    used.add(id);
    return id;
  };
  let probeCount = 0;
  let cargoCount = 0;
  const aliases = opts.aliases ?? [];
  const items = raws.map((recorded) => {
    const raw = resolveAliases(recorded, aliases);
    const [program = "", ...args] = recorded.argv;
    const pkg = raw.env.CARGO_PKG_NAME;
    if (raw.kind === "cargo") {
      return identified(raw, recorded, {
        id: uniqueId(`cargo-${++cargoCount}`),
        type: "cargo_invocation",
        command: program,
        args,
        crate: "cargo",
        kind: "other"
      });
    }
    if (raw.kind === "build-script") {
      const command = program.endsWith(SHIM_SUFFIX) ? program.slice(0, -SHIM_SUFFIX.length) : program;
      const outDir = raw.env.OUT_DIR;
      const hash2 = outDir ? basename6(dirname4(outDir)).split("-").pop() : shortHash2(raw.argv);
      return identified(raw, recorded, {
        id: uniqueId(`${pkg ?? "build"}-run-${hash2}`),
        type: "build_script_run",
        command,
        args,
        crate: pkg ?? basename6(raw.cwd),
        kind: "build-script-run",
        outputs: outDir ? [outDir] : []
      });
    }
    const unit = parseRustcArgs(raw.argv.slice(1));
    const probe = raw.kind === "probe" || raw.parentKey !== null || unit.isQuery;
    if (probe) {
      return identified(raw, recorded, {
        id: uniqueId(`probe-${++probeCount}`),
        type: "rust_compiler_invocation",
        command: program,
        args,
        probe: true,
        crate: pkg ?? unit.crateName ?? "rustc",
        kind: "other",
        unit
      });
    }
    const kind = unitKind(unit);
    const hash = unit.extraFilename.replace(/^-/, "") || shortHash2(raw.argv);
    const crate = pkg ?? unit.crateName ?? "rustc";
    return identified(raw, recorded, {
      id: uniqueId(`${crate}-${kind === "build-script" ? "build" : kind}-${hash}`),
      type: "rust_compiler_invocation",
      command: program,
      args,
      crate,
      kind,
      unit,
      outputs: compileOutputs(unit, raw.cwd, dirCache)
    });
  });
  for (const a of items) byKey.set(a.raw.key, a);
  for (const a of items) {
    if (a.raw.parentKey) a.parent = byKey.get(a.raw.parentKey)?.id ?? null;
  }
  for (const a of items) {
    const out = a.outputs[0] ?? "";
    const t = opts.targetDirs.find((d) => out.startsWith(`${d}/`));
    if (isStep(a)) a.stage = stageOf(t ? out.slice(t.length) : "", a.raw.env);
  }
  const links = findPlaced(
    items.filter(isStep).map((a) => ({
      id: a.id,
      files: a.type === "build_script_run" ? [] : a.outputs,
      dirs: a.type === "build_script_run" ? a.outputs : [],
      endUs: a.raw.endUs,
      stage: a.stage
    })),
    opts.targetDirs,
    aliases
  );
  const leftOut = linkDependencies(items, links, opts);
  return { items, links, leftOut };
}
function identified(raw, recorded, who) {
  return {
    raw,
    recorded,
    probe: false,
    unit: null,
    outputs: [],
    ...who,
    parent: null,
    deps: [],
    sources: [],
    envDeps: [],
    envNames: [],
    stage: null
  };
}
function compileOutputs(unit, cwd, dirCache) {
  if (unit.outFile) return [resolve5(cwd, unit.outFile)];
  if (!unit.outDir) return [];
  const dir = resolve5(cwd, unit.outDir);
  return listDir(dirCache, dir).filter(
    (name) => ownsOutputName(unit, name) && !name.endsWith(SHIM_SUFFIX) && !name.endsWith(".tmp")
  ).map((name) => join8(dir, name)).sort();
}
var OutputIndex = class {
  files = /* @__PURE__ */ new Map();
  dirs = /* @__PURE__ */ new Map();
  links;
  constructor(items, links) {
    for (const a of items) {
      if (!isStep(a)) continue;
      for (const o of a.outputs)
        if (a.type === "build_script_run") this.dirs.set(o, a.id);
        else this.files.set(o, { id: a.id, readyUs: 0 });
    }
    for (const l of links)
      for (const f of l.files) this.files.set(f.path, { id: l.id, readyUs: l.readyUs });
    this.links = links;
  }
  owner(path4, atUs) {
    const f = this.files.get(path4);
    if (f) return f.readyUs <= atUs ? f.id : void 0;
    for (let p = path4; p !== dirname4(p); p = dirname4(p)) {
      const d = this.dirs.get(p);
      if (d) return d;
    }
    return void 0;
  }
  /** Link steps that had placed files under `dir` by `atUs` (a sysroot a compile reads). */
  placedUnder(dir, atUs) {
    return this.links.filter((l) => l.readyUs <= atUs && (l.dir === dir || l.dir.startsWith(`${dir}/`))).map((l) => l.id);
  }
};
function linkDependencies(items, links, opts) {
  const leftOut = /* @__PURE__ */ new Set();
  const forbidden = opts.forbidden ?? (() => false);
  const allowed = (f) => {
    if (!forbidden(f)) return true;
    leftOut.add(f);
    return false;
  };
  const index = new OutputIndex(items, links);
  const aliases = opts.aliases ?? [];
  const targetDirs = opts.targetDirs;
  const underTarget = (p) => targetDirs.some((t) => p === t || p.startsWith(`${t}/`));
  const skip = new Set(targetDirs);
  const packageFiles = /* @__PURE__ */ new Map();
  const filesOf = (pkgDir) => {
    let files = packageFiles.get(pkgDir);
    if (!files) {
      files = walkFiles(pkgDir, skip, true).filter((f) => !underTarget(f));
      packageFiles.set(pkgDir, files);
    }
    return files;
  };
  for (const a of items) {
    if (!isStep(a)) continue;
    const deps = /* @__PURE__ */ new Set();
    const reads = (p) => {
      if (!p || !isAbsolute4(p)) return false;
      const owner = index.owner(p, a.raw.startUs);
      if (owner && owner !== a.id) deps.add(owner);
      return owner !== void 0;
    };
    reads(unalias(a.command, aliases));
    if (a.type === "build_script_run") {
      const outDir = a.raw.env.OUT_DIR;
      const rerun = outDir ? rerunDirectives(join8(dirname4(outDir), "output"), aliases) : null;
      const pkgDir = a.raw.env.CARGO_MANIFEST_DIR ?? a.raw.cwd;
      const pkgFiles = filesOf(pkgDir);
      if (rerun && rerun.paths.length > 0) {
        const files = rerun.paths.flatMap((p) => {
          const abs = resolve5(pkgDir, p);
          const st = statSync4(abs, { throwIfNoEntry: false });
          if (!st) return [];
          return st.isDirectory() ? walkFiles(abs, skip) : [abs];
        });
        files.push(
          ...isRegistryPackage(pkgDir) ? pkgFiles : pkgFiles.filter((f) => !f.endsWith(".rs"))
        );
        a.sources = [...new Set(files)].filter((f) => !reads(f)).sort();
      } else {
        a.sources = pkgFiles;
      }
      a.envDeps = rerun?.env ?? [];
    } else if (a.unit) {
      const u = a.unit;
      for (const e of u.externs) reads(e.path ? resolve5(a.raw.cwd, e.path) : null);
      for (const s of u.searchPaths) if (s.kind !== "dependency") reads(resolve5(a.raw.cwd, s.path));
      if (u.sysroot)
        for (const l of index.placedUnder(resolve5(a.raw.cwd, u.sysroot), a.raw.startUs))
          deps.add(l);
      const depFile = a.outputs.find((o) => o.endsWith(".d"));
      if (depFile) {
        const info = parseDepInfo(unalias(readFileSync10(depFile, "utf8"), aliases), a.raw.cwd);
        a.sources = info.files.filter((f) => !reads(f) && (!underTarget(f) || isFile(f))).sort();
        a.envDeps = info.envDeps;
      } else if (u.input && u.input !== "-") {
        a.sources = [resolve5(a.raw.cwd, u.input)];
      }
    }
    a.sources = [...new Set(a.sources.map((p) => resolve5(p)))].filter(allowed).sort();
    a.envNames = stepEnvNames(a.type, a.raw.env, a.envDeps, opts.env);
    for (const name of a.envNames)
      if (name !== "OUT_DIR" || a.type !== "build_script_run") reads(a.raw.env[name]);
    a.deps = [...deps].sort();
  }
  return [...leftOut].sort();
}

// src/emit/build-plan.ts
import { basename as basename7, dirname as dirname5 } from "node:path";

// src/plan/host-files.ts
var HOST_TOOL_DIRS = [
  "/bin",
  "/etc/alternatives",
  // Debian's cc, ld and friends are links through it
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/usr/bin",
  "/usr/include",
  "/usr/lib",
  "/usr/lib32",
  "/usr/lib64",
  "/usr/libexec",
  "/usr/libx32"
];
function isHostFile(path4) {
  return HOST_TOOL_DIRS.some((d) => under(path4, d));
}
function isHostSource(plan, path4) {
  return isHostFile(path4) && !rootOf(plan.roots, path4);
}

// src/emit/raw.ts
import { readdirSync as readdirSync5, readFileSync as readFileSync11 } from "node:fs";
import { join as join9 } from "node:path";
var RawRecordError = class extends Error {
};
function splitNul(buf) {
  const text = buf.toString("utf8");
  const parts = text.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}
function parseRawRecord(key, rec, end) {
  const f = splitNul(rec);
  let i = 0;
  const next = () => {
    const v = f[i++];
    if (v === void 0) throw new RawRecordError(`record ${key} is truncated`);
    return v;
  };
  if (next() !== "rbn1") throw new RawRecordError(`record ${key} has an unknown format`);
  const kind = next();
  const startUs = Number(next());
  const cwd = next();
  const parentKey = next() || null;
  const argc = Number(next());
  const argv = [];
  for (let a = 0; a < argc; a++) argv.push(next());
  const envc = Number(next());
  const env = {};
  for (let e = 0; e < envc; e++) {
    const kv = next();
    const eq = kv.indexOf("=");
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  let exitCode = null;
  let endUs = null;
  if (end) {
    const [rc, t] = splitNul(end);
    exitCode = Number(rc);
    endUs = Number(t);
  }
  return { key, kind, startUs, endUs, exitCode, cwd, parentKey, argv, env };
}
function durationMs(raw) {
  return raw.endUs === null ? 0 : Math.round((raw.endUs - raw.startUs) / 1e3);
}
function readRawRecords(dir, onBad) {
  const out = [];
  for (const name of readdirSync5(dir)) {
    if (!name.endsWith(".rec")) continue;
    const key = name.slice(0, -4);
    let end = null;
    try {
      end = readFileSync11(join9(dir, `${key}.end`));
    } catch {
      end = null;
    }
    try {
      out.push(parseRawRecord(key, readFileSync11(join9(dir, name)), end));
    } catch (e) {
      onBad(e.message);
    }
  }
  return out.sort((a, b) => a.startUs - b.startUs || a.key.localeCompare(b.key));
}

// src/emit/build-plan.ts
var PLAN_SCHEMA_VERSION = 1;
function buildPlan(items, links, ctx) {
  const stepItems = items.filter(isStep);
  const steps = stepItems.map((a) => ({
    id: a.id,
    type: a.type,
    crate: a.crate,
    kind: a.kind,
    deps: a.deps,
    outputs: a.outputs,
    sources: a.sources,
    env_deps: a.envDeps,
    cwd: a.raw.cwd,
    duration_ms: durationMs(a.raw),
    exit_code: a.raw.exitCode,
    stage: a.stage,
    env_names: a.envNames
  }));
  const prelim = computeRoots(ctx.sourceDir, ctx.targetDirs, []);
  const external = /* @__PURE__ */ new Set();
  for (const s of steps) {
    if (!rootOf(prelim, s.cwd)) external.add(s.cwd);
  }
  const withPkgs = computeRoots(ctx.sourceDir, ctx.targetDirs, [...external]);
  for (const s of steps)
    for (const f of s.sources) if (!rootOf(withPkgs, f) && !isHostFile(f)) external.add(dirname5(f));
  for (const l of links)
    steps.push({
      id: l.id,
      type: "link",
      crate: basename7(l.dir),
      kind: "link",
      deps: l.deps,
      outputs: l.files.map((f) => f.path),
      sources: l.files.flatMap((f) => f.from ? [] : [f.path]),
      env_deps: [],
      cwd: l.dir,
      duration_ms: 0,
      exit_code: 0,
      stage: l.stage,
      files: l.files,
      empty_dirs: l.emptyDirs
    });
  const roots = computeRoots(ctx.sourceDir, ctx.targetDirs, [...external]);
  for (const a of ctx.aliases ?? []) {
    const r = rootOf(roots, a.path);
    if (r) roots.push({ name: r.name + a.path.slice(r.path.length), path: a.alias });
  }
  steps.sort(byId);
  return {
    schema_version: PLAN_SCHEMA_VERSION,
    source_dir: ctx.sourceDir,
    target_dirs: ctx.targetDirs,
    roots,
    toolchain: ctx.toolchain,
    steps,
    artifacts: links.flatMap(
      (l) => l.files.map((f) => ({ path: f.path, step: l.id, from: f.from ?? f.path }))
    )
  };
}

// src/emit/recorder.ts
import {
  closeSync,
  constants as constants3,
  existsSync as existsSync10,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync as readdirSync6,
  readFileSync as readFileSync12,
  readSync,
  renameSync as renameSync2,
  rmSync as rmSync2,
  statSync as statSync5,
  unlinkSync,
  writeFileSync as writeFileSync2
} from "node:fs";
import { rm } from "node:fs/promises";
import { dirname as dirname6, join as join10 } from "node:path";

// src/util/pid.ts
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

// src/emit/recorder.ts
function recorderDir() {
  return join10(assetsDir(), "recorder");
}
function installRecorder(dir, env) {
  const bash = whichIn("bash", env);
  if (!bash) return recorderDir();
  mkdirSync(dir);
  const check = join10(dir, "exec-check");
  writeFileSync2(check, `#!${bash}
exit 0
`, { mode: 493 });
  const runnable = mayAccess(check, constants3.X_OK);
  unlinkSync(check);
  if (!runnable) return recorderDir();
  const shipped = recorderDir();
  for (const name of readdirSync6(shipped, { recursive: true, encoding: "utf8" })) {
    const from = join10(shipped, name);
    if (statSync5(from).isDirectory()) continue;
    mkdirSync(dirname6(join10(dir, name)), { recursive: true });
    const text = readFileSync12(from, "utf8");
    writeFileSync2(join10(dir, name), text.replace(/^#!\/usr\/bin\/env bash\n/, `#!${bash}
`), {
      mode: statSync5(from).mode & 511
    });
  }
  return dir;
}
function prepareRecording(opts) {
  mkdirSync(runnerTemp(opts.baseEnv), { recursive: true });
  const recordDir = mkdtempSync(runnerDirs.recordsPrefix(opts.baseEnv));
  writeFileSync2(join10(recordDir, OWNER_FILE), String(process.pid));
  const dir = installRecorder(join10(recordDir, "bin"), opts.baseEnv);
  const env = {};
  const withheld = new Set(opts.withheld.filter((v) => v.length >= MIN_SECRET_LENGTH));
  for (const [k, v] of Object.entries(opts.baseEnv)) {
    if (v === void 0) continue;
    if (k.startsWith("ACTIONS_") || k.startsWith("INPUT_") || withheld.has(v)) continue;
    env[k] = v;
  }
  const next = opts.nextWrapper ?? opts.baseEnv.RUSTC_WRAPPER ?? "";
  Object.assign(env, opts.extraEnv, {
    RBN_RECORD_DIR: recordDir,
    RBN_REAL_CARGO: opts.cargo,
    RBN_NEXT_WRAPPER: next,
    RUSTC_WRAPPER: join10(dir, "rustc-wrapper"),
    RUSTC: opts.rustc,
    CARGO: opts.cargo,
    PATH: `${dir}:${opts.baseEnv.PATH ?? ""}`
  });
  if (opts.bootstrapConfig)
    env.RUST_BOOTSTRAP_CONFIG = recordingConfig(opts.bootstrapConfig, opts.cargo, dir, recordDir);
  return { recordDir, env };
}
function recordingConfig(path4, cargo, dir, recordDir) {
  const config = parse(readFileSync12(path4, "utf8"));
  const build = config.build;
  if (!isTable(build) || build.cargo !== cargo) return path4;
  const copy = join10(recordDir, "config.toml");
  writeFileSync2(copy, stringify({ ...config, build: { ...build, cargo: join10(dir, "cargo") } }));
  return copy;
}
var STALE = ".fingerprint.rbn-stale-";
var NOT_SEARCHED = ["deps", "build", "incremental", "examples", ".git"];
function resetFingerprints(targetDirs) {
  const stale = [];
  let leftover = 0;
  const entry = (e, p, depth) => {
    if (!e.isDirectory()) return false;
    if (e.name === ".fingerprint") {
      const aside = `${p}.rbn-stale-${process.pid}-${Date.now().toString(36)}-${stale.length}`;
      renameSync2(p, aside);
      stale.push(aside);
      return false;
    }
    if (e.name.startsWith(STALE)) {
      stale.push(p);
      leftover++;
      return false;
    }
    return depth < 4 && !NOT_SEARCHED.includes(e.name);
  };
  for (const t of targetDirs) walk(t, { entry });
  const removed = Promise.all(stale.map((p) => rm(p, { recursive: true, force: true }))).then(
    () => void 0
  );
  return { count: stale.length - leftover, leftover, removed };
}
var REAL_SUFFIX = ".rbn-real";
var SHIM_TEMP_SUFFIX = ".rbn-shim";
var SHIM_MARK = "# rust-bootstrap-nix: records this build script run";
var OWNER_FILE = "pid";
function head(path4, bytes = 4096) {
  try {
    const fd = openSync(path4, "r");
    try {
      const buf = Buffer.alloc(bytes);
      return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString("latin1");
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}
function shimText(bin) {
  const text = head(bin);
  return text?.startsWith("#!") && text.includes(SHIM_MARK) ? text : null;
}
function ownerAlive(recordDir) {
  let pid = Number.NaN;
  try {
    pid = Number(readFileSync12(join10(recordDir, OWNER_FILE), "utf8"));
  } catch {
    return true;
  }
  return !Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid);
}
function restoreBuildScript(bin) {
  const real = `${bin}${REAL_SUFFIX}`;
  rmSync2(`${bin}${SHIM_TEMP_SUFFIX}`, { force: true });
  if (!existsSync10(real)) return false;
  const shim = statSync5(bin, { throwIfNoEntry: false });
  if (shim && !shimText(bin)) {
    rmSync2(real, { force: true });
    return true;
  }
  const links = shim ? readdirSync6(dirname6(bin)).map((n) => join10(dirname6(bin), n)).filter((p) => p !== bin && statSync5(p, { throwIfNoEntry: false })?.ino === shim.ino) : [];
  renameSync2(real, bin);
  for (const l of links) {
    unlinkSync(l);
    linkSync(bin, l);
  }
  return true;
}
function restoreBuildScripts(recordDir) {
  const list2 = join10(recordDir, "shims");
  if (!existsSync10(list2)) return [];
  const failed = [];
  for (const bin of readFileSync12(list2, "utf8").split("\0").filter(Boolean)) {
    try {
      restoreBuildScript(bin);
    } catch {
      failed.push(bin);
    }
  }
  return failed;
}
function findKeptBuildScripts(targetDirs) {
  const found = [];
  const entry = (e, p, depth) => {
    if (!e.isDirectory()) return false;
    if (e.name !== "build")
      return depth < 4 && !NOT_SEARCHED.includes(e.name) && !e.name.startsWith(".fingerprint");
    for (const unit of readdirSync6(p, { withFileTypes: true })) {
      if (!unit.isDirectory()) continue;
      let files;
      try {
        files = readdirSync6(join10(p, unit.name));
      } catch {
        continue;
      }
      for (const f of files)
        if (f.endsWith(REAL_SUFFIX))
          found.push(join10(p, unit.name, f.slice(0, -REAL_SUFFIX.length)));
    }
    return false;
  };
  for (const t of targetDirs) walk(t, { entry });
  return found;
}
function shimRecordDir(text) {
  const d = /^d=(.*)$/m.exec(text)?.[1];
  if (!d?.endsWith("/bin")) return null;
  const dir = dirname6(d.replace(/\\(.)/g, "$1"));
  return /\/rbn-records-[^/]+$/.test(dir) ? dir : null;
}
function cleanLeftovers(targetDirs, tempDir) {
  let buildScripts = 0;
  for (const bin of findKeptBuildScripts(targetDirs)) {
    const text = shimText(bin);
    const owner = text ? shimRecordDir(text) : null;
    if (owner && existsSync10(owner) && ownerAlive(owner)) continue;
    try {
      if (restoreBuildScript(bin)) buildScripts++;
    } catch {
    }
  }
  let recordDirs = 0;
  let names = [];
  try {
    names = readdirSync6(tempDir).filter((n) => n.startsWith("rbn-records-"));
  } catch {
  }
  for (const n of names) {
    const dir = join10(tempDir, n);
    if (ownerAlive(dir)) continue;
    rmSync2(dir, { recursive: true, force: true });
    recordDirs++;
  }
  return { buildScripts, recordDirs };
}
function cleanupRecording(recordDir) {
  rmSync2(recordDir, { recursive: true, force: true });
}

// src/emit/records.ts
var RECORD_SCHEMA_VERSION = 1;
function toRecords(items, redactor, emitStartUs) {
  return items.map((a) => {
    const r = {
      schema_version: RECORD_SCHEMA_VERSION,
      id: a.id,
      type: a.type,
      command: a.command,
      args: a.args,
      env: redactor.env(a.recorded.env, new Set(a.envDeps)),
      cwd: a.recorded.cwd,
      deps: a.deps,
      outputs: a.outputs,
      exit_code: a.raw.exitCode,
      duration_ms: durationMs(a.raw),
      start_ms: Math.max(0, Math.round((a.raw.startUs - emitStartUs) / 1e3))
    };
    if (a.probe) r.probe = true;
    if (a.parent) r.parent = a.parent;
    return redactor.deep(r);
  });
}

// src/emit/remap.ts
var EMBEDDED_ROOT = "/rbn";
function remapTable(sourceDir, targetDirs, alias) {
  const roots = computeRoots(sourceDir, [...targetDirs], []);
  if (alias) roots.push({ name: "w", path: alias });
  return roots.filter((r) => !/[\t\n]/.test(r.path)).sort((a, b) => a.path.length - b.path.length).map((r) => `${r.name}	${r.path}`).join("\n");
}

// src/emit/stable-path.ts
import { mkdirSync as mkdirSync2, readFileSync as readFileSync13, renameSync as renameSync3, rmSync as rmSync3, symlinkSync, writeFileSync as writeFileSync3 } from "node:fs";
import { join as join11 } from "node:path";
var STABLE_PATH = "/tmp/rust-bootstrap-nix-src";
function acquireStablePath(dir, path4 = STABLE_PATH) {
  const lock = `${path4}.lock`;
  try {
    mkdirSync2(lock);
  } catch (e) {
    if (e.code !== "EEXIST") return null;
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync13(join11(lock, "pid"), "utf8"));
    } catch {
    }
    if (Number.isInteger(holder) && alive(holder)) return null;
    rmSync3(lock, { recursive: true, force: true });
    try {
      mkdirSync2(lock);
    } catch {
      return null;
    }
  }
  try {
    writeFileSync3(join11(lock, "pid"), String(process.pid));
    const tmp = `${path4}.${process.pid}`;
    rmSync3(tmp, { force: true });
    symlinkSync(dir, tmp);
    renameSync3(tmp, path4);
  } catch {
    rmSync3(lock, { recursive: true, force: true });
    return null;
  }
  let held = true;
  return {
    path: path4,
    // Once only: a second call must not remove what another emit holds by then.
    release: () => {
      if (!held) return;
      held = false;
      rmSync3(path4, { force: true });
      rmSync3(lock, { recursive: true, force: true });
    }
  };
}

// src/emit/index.ts
function underAlias(command, sourceDir, alias) {
  return command.map(
    (a) => !isAbsolute5(a) && !a.startsWith("-") && statSync6(join12(sourceDir, a), { throwIfNoEntry: false })?.isFile() ? join12(alias, a) : a
  );
}
var STALE_WAIT_MS = 2e3;
async function emit(opts, log) {
  const { redactor } = opts;
  opts.signal?.throwIfAborted();
  const left = cleanLeftovers(opts.targetDirs, runnerTemp(opts.baseEnv));
  const reset = resetFingerprints(opts.targetDirs);
  if (left.buildScripts + left.recordDirs + reset.leftover > 0)
    log.info(
      `Cleaned up after an emit that was killed: ${[
        [left.buildScripts, "build script(s) put back in place of their recording shims"],
        [left.recordDirs, "record dir(s) removed"],
        [reset.leftover, "old fingerprint dir(s) removed"]
      ].filter(([n]) => n).map(([n, what]) => `${n} ${what}`).join(", ")}.`
    );
  if (reset.count > 0)
    log.info(
      `Cleared cargo's fingerprints in ${reset.count} place(s) so that every unit is compiled and recorded.`
    );
  const setup = prepareRecording({
    baseEnv: opts.baseEnv,
    rustc: opts.toolchain.rustc,
    cargo: opts.toolchain.cargo,
    nextWrapper: opts.nextWrapper,
    withheld: opts.withheld,
    extraEnv: opts.extraEnv,
    bootstrapConfig: opts.bootstrapConfig
  });
  const stable = opts.stablePath ? acquireStablePath(opts.sourceDir) : null;
  if (opts.stablePath && !stable)
    log.info(
      `${STABLE_PATH} is held by another emit: building at ${opts.sourceDir}, so bootstrap's own binaries (and the steps that run them) depend on where the tree is.`
    );
  const aliases = stable ? [{ alias: stable.path, path: opts.sourceDir }] : [];
  if (opts.asSteps) {
    setup.env.RBN_REMAP = remapTable(opts.sourceDir, opts.targetDirs, stable?.path ?? null);
    setup.env.CARGO_INCREMENTAL = "0";
  }
  const output = redactor.stream(opts.output);
  const startUs = Date.now() * 1e3;
  const ticker = setInterval(() => {
    const n = readdirSync7(setup.recordDir).filter((f) => f.endsWith(".end")).length;
    log.progress("recording", n);
  }, 1e3);
  try {
    const run3 = await log.group(
      `Build (recording): ${opts.command.join(" ")}`,
      () => runStreaming(stable ? underAlias(opts.command, opts.sourceDir, stable.path) : opts.command, {
        cwd: stable?.path ?? opts.sourceDir,
        env: setup.env,
        onOutput: output.write,
        notFound: (p) => `Input 'command': program '${p}' was not found on PATH; install it or give its full path.`,
        signal: opts.signal
      })
    );
    clearInterval(ticker);
    output.flush();
    putBack(setup.recordDir, log);
    stable?.release();
    await reset.removed;
    const raws = readRawRecords(
      setup.recordDir,
      (m) => log.warning(`Skipped an unreadable record: ${m}`)
    );
    const forbidden = forbiddenContext(opts.baseEnv);
    const { items, links, leftOut } = analyze(raws, {
      targetDirs: opts.targetDirs,
      aliases,
      forbidden: (p) => forbiddenSource(p, forbidden) !== null,
      env: {
        buildEnv: setup.env,
        recorderPaths: [setup.recordDir, recorderDir()],
        pids: run3.pid === null ? [] : [run3.pid]
      }
    });
    if (leftOut.length > 0)
      log.info(
        `Left ${leftOut.length} file(s) the build read out of the plan's sources: git's metadata and credential files never go into the flake or the Nix store (${leftOut.slice(0, 5).join(", ")}${leftOut.length > 5 ? ", ..." : ""}).`
      );
    const emitStartUs = raws.length > 0 ? Math.min(startUs, raws[0].startUs) : startUs;
    const records = toRecords(items, redactor, emitStartUs);
    const plan = redactor.deep(
      buildPlan(items, links, {
        aliases,
        sourceDir: opts.sourceDir,
        targetDirs: opts.targetDirs,
        toolchain: opts.toolchain
      })
    );
    const problems = [...records.flatMap((r) => validate("record", r)), ...validate("plan", plan)];
    writeRecordsAndPlan(opts.metadataDir, records, plan);
    if (problems.length > 0)
      throw new Error(
        `The written metadata does not match its schema:
${problems.slice(0, 10).join("\n")}`
      );
    let failure = null;
    if (run3.exitCode !== 0) {
      const { crate, message } = firstCompileError(run3.tail);
      const name = crate ?? items.find((a) => isStep(a) && a.type === "rust_compiler_invocation" && !!a.raw.exitCode)?.crate ?? null;
      failure = name ? `Compiling crate '${name}' failed: ${message ?? "see the build log"}` : `The build command exited with ${run3.signal ?? run3.exitCode}${message ? `: ${message}` : ""}`;
      failure = redactor.scrub(failure);
    }
    return { records, plan, failure };
  } finally {
    clearInterval(ticker);
    output.flush();
    putBack(setup.recordDir, log);
    stable?.release();
    cleanupRecording(setup.recordDir);
    if (opts.signal?.aborted)
      await Promise.race([reset.removed, new Promise((r) => setTimeout(r, STALE_WAIT_MS).unref())]);
  }
}
function putBack(recordDir, log) {
  const failed = restoreBuildScripts(recordDir);
  if (failed.length > 0)
    log.warning(
      `Could not put back ${failed.length} build script(s) the recorder had replaced (${failed.slice(0, 3).join(", ")}); the next emit tries again.`
    );
}

// src/stages/record.ts
function recordedEarlier(records, plan, digest2) {
  return {
    records,
    plan,
    failure: null,
    emitMs: 0,
    sccacheStats: null,
    digest: digest2,
    outputsHere: false
  };
}
async function record(inputs, prepared, cached, ctx) {
  const { log } = ctx;
  const { sccache } = cached;
  const started = Date.now();
  enter(ctx, `the recorded build (${prepared.command.join(" ")})`);
  const result = await emit(
    {
      command: prepared.command,
      sourceDir: inputs.sourceDir,
      metadataDir: inputs.metadataDir,
      targetDirs: prepared.targetDirs,
      toolchain: prepared.planToolchain,
      baseEnv: ctx.env,
      extraEnv: sccache ? sccacheBuildEnv(sccache) : {},
      bootstrapConfig: prepared.configPath,
      nextWrapper: sccache?.binary ?? null,
      redactor: ctx.redactor,
      withheld: withheldFromBuild(...secretInputsOf(inputs)),
      stablePath: prepared.rustTree,
      // Only where the outputs may be taken as the steps' (a plain emit keeps the build's own paths).
      asSteps: inputs.buildOnce && inputs.mode === "emit-then-build",
      output: ctx.output,
      signal: ctx.signal
    },
    log
  );
  const emitMs = Date.now() - started;
  log.info(
    `Recorded ${result.records.length} invocations: ${result.plan.steps.length} plan steps, ${result.records.filter((r) => r.probe).length} probes.`
  );
  const sccacheStats = sccache ? await readSccacheStats(sccache).catch(() => null) : null;
  return {
    ...result,
    emitMs,
    sccacheStats,
    digest: metadataDigest(inputs.metadataDir),
    outputsHere: true
  };
}

// src/stages/load.ts
async function loadEarlierEmit(inputs, earlier, ctx) {
  enter(ctx, "reading the earlier emit's metadata");
  const { records, plan } = ctx.redactor.deep({ records: earlier.records, plan: earlier.plan });
  const configToml = readConfigToml(inputs.metadataDir);
  enter(ctx, "restoring the caches");
  const restored = await restoreCaches({
    inputs,
    env: ctx.env,
    log: ctx.log,
    state: ctx.state,
    rustc: plan.toolchain.rustc,
    toolchain: plan.toolchain.nix_spec ? plan.toolchain.sysroot : "system",
    configToml,
    restore: { sccache: false, nix: true }
    // nothing compiles outside Nix
  });
  return {
    recorded: recordedEarlier(records, plan, earlier.trust.digest),
    cached: { ...restored, sccache: null }
  };
}

// src/stages/nix-build.ts
import { join as join19 } from "node:path";

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

// src/nix/trust.ts
function refusedByDaemon(line) {
  const subst = /ignoring untrusted substituter '([^']+)'/.exec(line);
  if (subst) return `substituter '${subst[1]}'`;
  const setting = /ignoring the (?:client-specified|user-specified) setting '([^']+)', because it is a restricted setting/.exec(
    line
  );
  return setting ? `setting '${setting[1]}'` : null;
}
function untrustedFix(refused, sandboxPaths = []) {
  const sandbox = refused.some((r) => /^setting '(extra-)?sandbox-paths'$/.test(r));
  return [
    `The Nix daemon ignored the ${refused.join(", the ")} for this user, who is not trusted: a binary cache goes unused, remote builders do not build${sandbox ? ", or the steps cannot run the host's tools in the sandbox" : ""}.`,
    "Add `trusted-users = <the runner's user>` to the machine's /etc/nix/nix.conf (a Nix installed by this action has it),",
    sandbox && sandboxPaths.length ? `or \`extra-sandbox-paths = ${sandboxPaths.join(" ")}\` for the host tools,` : null,
    "or for a binary cache `extra-trusted-substituters = <its URL>` with its key in `extra-trusted-public-keys`, and restart nix-daemon."
  ].filter((l) => l !== null).join(" ");
}

// src/nix/undeclared-read.ts
import { statSync as statSync7 } from "node:fs";
import { join as join13, normalize } from "node:path";
var BUILD_ROOT = /^(?:\/build|\/tmp\/nix-build-[^/]+)\/r\/([^/]+)\/(.+)$|^\/rbn\/([^/]+)\/(.+)$/;
var PATH_TOKEN = /\/[^\s'"`:,;()<>[\]{}]+/g;
var NOT_FOUND = /No such file or directory|os error 2\b|NotFound/;
function undeclaredReads(log, step, roots) {
  const missing = NOT_FOUND.test(log);
  if (!missing) return { files: [], byHostPath: [], missing };
  const declared = new Set(step.sources);
  const rootPath = new Map(roots.map((r) => [r.name, r.path]));
  const under2 = (p) => roots.some((r) => p.startsWith(`${r.path}/`));
  const files = /* @__PURE__ */ new Set();
  const byHostPath = /* @__PURE__ */ new Set();
  for (const [token] of log.matchAll(PATH_TOKEN)) {
    const m = BUILD_ROOT.exec(token);
    const root = m && rootPath.get(m[1] ?? m[3]);
    const host = normalize(root ? join13(root, m[2] ?? m[4]) : token);
    if (!under2(host)) continue;
    if (declared.has(host)) {
      if (!root) byHostPath.add(host);
    } else if (statSync7(host, { throwIfNoEntry: false })?.isFile()) files.add(host);
  }
  return { files: [...files].sort(), byHostPath: [...byHostPath].sort(), missing };
}
function undeclaredReadNote(read) {
  if (!read.missing) return null;
  const why = "each step sees only the files it declared (a build script declares what it reads with `cargo:rerun-if-changed=<path>`)";
  const notes = [];
  if (read.files.length)
    notes.push(
      `It read ${read.files.join(", ")}, which ${read.files.length > 1 ? "are" : "is"} not in its inputs: ${why}.`
    );
  if (read.byHostPath.length)
    notes.push(
      `It read ${read.byHostPath.join(", ")} by the path the build had on the host: a step has its files in a build root of its own (read them from \`CARGO_MANIFEST_DIR\` or \`OUT_DIR\`).`
    );
  return notes.length ? notes.join(" ") : `A file it opened was not there; if it is one the build has, it is not in the step's inputs: ${why}.`;
}

// src/nix/build.ts
var GENERATED_FLAKE_ARGS = ["--impure"];
var BUILDING = /building '\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv'/g;
var FAILED = /builder for '(\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv)' failed/;
var STEP_DRV = /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)\.drv$/;
var STEP_OUT = /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)$/;
function stepIdOfOut(path4) {
  return STEP_OUT.exec(path4)?.[1] ?? null;
}
var TAIL_CHARS = 256 * 1024;
function addMachines(into, more) {
  for (const [m, n] of Object.entries(more)) into[m] = (into[m] ?? 0) + n;
}
function buildProgress(total, seen, withResult, final = false, before = null) {
  if (!final && seen.expected === null) return { done: 0, detail: "evaluating" };
  const { expected } = seen;
  const toBuild = expected === null ? seen.started : Math.min(total, Math.max(seen.started, expected - (withResult && expected > 0 ? 1 : 0)));
  const notBuilt = total - toBuild;
  const reused = notBuilt - (before ? before.built + before.taken : 0);
  const running = final ? 0 : seen.started - seen.finished - seen.failed;
  const detail = [
    `${seen.finished + (before?.built ?? 0)} built`,
    ...before ? [`${before.taken} taken`] : [],
    `${reused} reused`,
    ...running > 0 ? [`${running} building`] : [],
    ...seen.failed > 0 ? [`${seen.failed} failed`] : []
  ].join(" \xB7 ");
  return { done: seen.finished + notBuilt, detail };
}
function logTail(log, lines = 20) {
  const rendered = [];
  const plain = [];
  for (const line of log.split("\n")) {
    if (line.startsWith("{")) {
      try {
        const msg = JSON.parse(line);
        if (msg.rendered && msg.level !== "warning")
          rendered.push(stripAnsi(msg.rendered).trimEnd());
        continue;
      } catch {
      }
    }
    if (line.trim()) plain.push(stripAnsi(line));
  }
  const chosen = rendered.length ? rendered.join("\n").split("\n") : plain;
  return chosen.slice(-lines).join("\n");
}
function stepsExpr(flakeDir, system, ids) {
  const ps = `(builtins.getFlake ${nixString(pathRef(flakeDir))}).packages.${nixAttr(system)}`;
  return `let ps = ${ps}; in [ ${ids.map((id) => `ps.${nixAttr(id)}`).join(" ")} ]`;
}
function sandboxPathArgs(paths) {
  return paths.length ? ["--option", "extra-sandbox-paths", paths.join(" ")] : [];
}
async function nixBuild(opts, log) {
  const nix = opts.nix ?? "nix";
  const started = Date.now();
  const built = /* @__PURE__ */ new Set();
  const stepIds = new Set(opts.steps.map((s) => s.id));
  const stepOf = (drv) => {
    const id = STEP_DRV.exec(drv)?.[1];
    return id !== void 0 && stepIds.has(id) ? id : null;
  };
  const decode = nixJsonLog();
  const finished = /* @__PURE__ */ new Map();
  const failed = /* @__PURE__ */ new Set();
  const machineOf = /* @__PURE__ */ new Map();
  const substituting = /* @__PURE__ */ new Set();
  const untrusted = /* @__PURE__ */ new Set();
  let expected = 0;
  let building = false;
  let settled = false;
  let tail2 = "";
  let pending = "";
  let stdout = "";
  const argv = [
    nix,
    ...NIX_FEATURES,
    "build",
    ...GENERATED_FLAKE_ARGS,
    "--json",
    "--log-format",
    "internal-json",
    ...opts.outLink === null ? ["--no-link"] : ["--out-link", opts.outLink],
    ...opts.maxJobs === null ? [] : ["--max-jobs", opts.maxJobs ?? "auto"],
    "--keep-going",
    ...sandboxPathArgs(opts.sandboxPaths ?? []),
    ...opts.nixArgs ?? [],
    ...opts.attrs ? ["--expr", stepsExpr(opts.flakeDir, opts.attrs.system, opts.attrs.ids)] : [`path:${opts.flakeDir}#${opts.attr ?? "default"}`]
  ];
  const report = (final) => {
    const seen = {
      started: built.size,
      finished: [...finished.keys()].filter((id) => !failed.has(id)).length,
      failed: failed.size,
      expected: building ? expected : null
    };
    const withResult = !opts.attrs && (opts.attr ?? "default") === "default";
    const { done, detail } = buildProgress(
      opts.steps.length,
      seen,
      withResult,
      final,
      opts.before ?? null
    );
    log.progress("nix build", done, opts.steps.length, detail);
  };
  const result = await log.group(`Nix build: ${opts.steps.length} steps`, async () => {
    const run3 = await runStreaming(argv, {
      cwd: opts.flakeDir,
      env: opts.env,
      signal: opts.signal,
      notFound: () => "Nix is not on PATH; set 'install-nix: true' (or auto) so the action installs it.",
      onOutput: (chunk, stream) => {
        if (stream === "stdout") {
          stdout += chunk.toString("utf8");
          return;
        }
        const text = pending + chunk.toString("utf8");
        const cut = text.lastIndexOf("\n");
        pending = text.slice(cut + 1);
        const shown2 = [];
        for (const line of text.slice(0, cut + 1).split("\n")) {
          const event = decode(line);
          if (!event) continue;
          if (event.text !== void 0) {
            shown2.push(event.text);
            for (const m of event.text.matchAll(BUILDING)) if (stepIds.has(m[1])) built.add(m[1]);
            const f = FAILED.exec(event.text)?.[2];
            if (f !== void 0 && stepIds.has(f)) failed.add(f);
            const refused = refusedByDaemon(event.text);
            if (refused) untrusted.add(refused);
          }
          const startedId = event.buildStarted && stepOf(event.buildStarted);
          if (startedId && !machineOf.has(startedId)) machineOf.set(startedId, event.machine ?? "");
          const subst = event.substituting && stepIdOfOut(event.substituting);
          if (subst && stepIds.has(subst)) substituting.add(subst);
          const stopped = event.buildStopped && stepOf(event.buildStopped);
          if (stopped) {
            finished.set(stopped, event.buildStopped);
            opts.onStepBuilt?.(event.buildStopped);
          }
          if (event.buildStarted) building = true;
          if (event.builds && !settled) expected = event.builds.expected;
          if (event.buildStopped) settled = true;
        }
        if (shown2.length) {
          const lines = shown2.join("\n");
          tail2 = `${tail2}${lines}
`.slice(-TAIL_CHARS);
          log.info(lines);
        }
        report(false);
      }
    });
    report(true);
    return run3;
  });
  const ms = Date.now() - started;
  const machines = {};
  for (const id of built) {
    const m = machineOf.get(id) ?? "";
    machines[m] = (machines[m] ?? 0) + 1;
  }
  const counts = {
    built: [...built],
    reused: opts.steps.length - built.size,
    // A substitution Nix gave up (a refused entry) is followed by a build of the step.
    substituted: [...substituting].filter((id) => !built.has(id)),
    machines,
    builtDrvs: [...finished].filter(([id]) => !failed.has(id)).map(([, drv]) => drv),
    untrusted: [...untrusted],
    ms
  };
  if (result.exitCode === 0) {
    const outPaths = JSON.parse(stdout).flatMap(
      (r) => Object.values(r.outputs)
    );
    return { ok: true, outPaths, ...counts, failure: null, failedStep: null };
  }
  return {
    ok: false,
    outPaths: [],
    ...counts,
    ...await describeFailure(nix, tail2 + pending, opts)
  };
}
async function describeFailure(nix, output, opts) {
  const m = FAILED.exec(output);
  if (!m) return { failure: `nix build failed:
${logTail(output, 15)}`, failedStep: null };
  const [, drv, id] = m;
  const step = opts.steps.find((s) => s.id === id);
  const stepLog = await run(nix, [...NIX_FEATURES, "log", drv], {
    env: opts.env,
    signal: opts.signal
  });
  const whole = stripAnsi(stepLog.code === 0 ? stepLog.stdout : output);
  const tail2 = logTail(whole);
  const note = step ? undeclaredReadNote(undeclaredReads(whole, step, opts.roots ?? [])) : null;
  const error = tail2.split("\n").find((l) => /^error(\[E\d+\])?:/.test(l.trim()))?.trim() ?? note;
  const label = `Step '${id}' (crate '${step?.crate ?? "?"}', ${step?.kind ?? "step"})`;
  return {
    failure: `${label} failed under Nix:${note ? ` ${note}` : ""}
${tail2}`,
    failedStep: { label, error }
  };
}

// src/binary-cache/input.ts
function binaryCacheOf(inputs) {
  if (!inputs.binaryCache) return null;
  return {
    url: inputs.binaryCache,
    publicKey: inputs.binaryCacheSecretKey ? publicKeyOf(inputs.binaryCacheSecretKey) : null
  };
}
function cacheBuildArgs(inputs) {
  const cache = binaryCacheOf(inputs);
  return cache ? substituterArgs(cache) : [];
}
function stepCount(paths, steps) {
  const ids = new Set(steps.map((s) => s.id));
  return paths.filter((p) => ids.has(stepIdOfOut(p) ?? "")).length;
}
async function afterBuild(inputs, built, steps, nixEnv, state, log, signal) {
  const url = inputs.binaryCache;
  if (!url) return null;
  const use = { url, pushed: null, deferred: 0, pushError: null };
  const key = inputs.binaryCacheSecretKey;
  if (!key) return use;
  if (!built.ok) {
    use.deferred = deferPush(inputs, built.builtDrvs, state, log, "failed");
    return use;
  }
  const r = await log.group(
    `Pushing the steps to the binary cache ${url}`,
    () => pushToCache({ url, secretKey: key, paths: built.outPaths, env: nixEnv, signal })
  );
  use.pushed = stepCount(r.copied, steps);
  if (!r.ok) {
    use.pushError = r.error;
    log.warning(
      `Pushing to the binary cache ${url} failed (${use.pushed} steps got there); the build is not affected:
${r.error}`
    );
  } else log.info(`Pushed ${use.pushed} steps (${r.copied.length} store paths) to ${url}.`);
  return use;
}
function deferPush(inputs, drvs, state, log, how) {
  if (!inputs.binaryCache || !inputs.binaryCacheSecretKey || drvs.length === 0) return 0;
  savePushDrvs(state, drvs);
  log.info(
    `The build ${how}; the post step pushes the ${drvs.length} steps it finished to the binary cache.`
  );
  return drvs.length;
}

// src/build-once/outputs.ts
import { lstatSync as lstatSync2, readdirSync as readdirSync8, readFileSync as readFileSync14, readlinkSync, statSync as statSync8 } from "node:fs";
var HostLayout = class {
  constructor(roots) {
    this.roots = roots;
    const seen = /* @__PURE__ */ new Set();
    this.byName = roots.filter((r) => !seen.has(r.name) && seen.add(r.name)).sort((a, b) => b.name.length - a.name.length);
    this.nameOf = new Map(roots.map((r) => [r.path, r.name]));
    const paths = roots.map((r) => r.path).filter((p) => p.length > 1);
    this.pattern = wholePathPattern(paths, false);
    this.scans = scansOf(paths);
  }
  roots;
  byName;
  pattern;
  nameOf;
  scans;
  /** The file on this machine a layout path (`w/target/debug/x`) names, or null. */
  hostPath(rel) {
    const r = this.byName.find((x) => rel === x.name || rel.startsWith(`${x.name}/`));
    return r ? r.path + rel.slice(r.name.length) : null;
  }
  /** `bytes` with this machine's root directories named as `to(root)` names them. */
  rename(bytes, to) {
    if (!this.pattern) return bytes;
    const text = bytes.toString("latin1");
    const out = text.replace(this.pattern, (p) => to(this.nameOf.get(p)));
    return out === text ? bytes : Buffer.from(out, "latin1");
  }
  /** The first root directory of this machine that `bytes` holds, or null. */
  hostPathIn(bytes) {
    for (const { prefix, roots } of this.scans)
      for (let i = bytes.indexOf(prefix); i >= 0; i = bytes.indexOf(prefix, i + 1))
        for (const r of roots)
          if (i + r.length <= bytes.length && bytes.compare(r, 0, r.length, i, i + r.length) === 0)
            return r.toString();
    return null;
  }
  /** Whether the recorder named the package dir `cwd` lies in as the plan does (never a `-2`). */
  namedAsRecorded(cwd) {
    const r = rootOf(this.roots, cwd);
    if (!r?.name.startsWith("x/")) return true;
    return r.path === cwd && r.name === externalRootName(cwd);
  }
};
function scansOf(paths) {
  const groups = /* @__PURE__ */ new Map();
  for (const p of paths) {
    const parent = p.slice(0, p.lastIndexOf("/") + 1);
    const prefix = parent.length >= 5 ? parent : p;
    groups.set(prefix, [...groups.get(prefix) ?? [], Buffer.from(p)]);
  }
  return [...groups].map(([prefix, roots]) => ({ prefix: Buffer.from(prefix), roots }));
}
function recordedOutput(spec, libs, layout, cwd) {
  if (!layout.namedAsRecorded(cwd))
    return { tree: null, problem: "its package dir has a root name the recording did not use" };
  const root = { kind: "dir", entries: /* @__PURE__ */ new Map() };
  for (const rel of spec.outputFiles) {
    const host = layout.hostPath(rel);
    const st = host ? statSync8(host, { throwIfNoEntry: false }) : void 0;
    if (!host || !st?.isFile()) return { tree: null, problem: `the build left no file ${rel}` };
    let bytes = readFileSync14(host);
    if (rel.endsWith(".d")) bytes = layout.rename(bytes, (name) => `${EMBEDDED_ROOT}/${name}`);
    const found = layout.hostPathIn(bytes);
    if (found) return { tree: null, problem: `${rel} holds this machine's path ${found}` };
    place(root, rel, { kind: "file", bytes, executable: (st.mode & 64) !== 0 });
  }
  if (libs.length > 0)
    place(root, "nix-support/rbn-libs", {
      kind: "file",
      bytes: Buffer.from(`${[...new Set(libs)].sort(byBytes).join("\n")}
`),
      executable: false
    });
  return { tree: root, problem: null };
}
function byBytes(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
function place(root, rel, node) {
  const parts = rel.split("/");
  let dir = root;
  for (const p of parts.slice(0, -1)) {
    if (dir.kind !== "dir") throw new Error(`${rel}: a file stands where a directory is`);
    let next = dir.entries.get(p);
    if (!next) {
      next = { kind: "dir", entries: /* @__PURE__ */ new Map() };
      dir.entries.set(p, next);
    }
    dir = next;
  }
  if (dir.kind !== "dir") throw new Error(`${rel}: a file stands where a directory is`);
  dir.entries.set(parts[parts.length - 1], node);
}
var BUILT_ROOT = /\/(?:build|tmp\/nix-build-[^/\s]+)\/r(?=\/)/g;
var BUILD_ROOT2 = "/build/r";
function sandboxed(bytes) {
  const text = bytes.toString("latin1");
  const out = text.replace(BUILT_ROOT, BUILD_ROOT2);
  return out === text ? bytes : Buffer.from(out, "latin1");
}
function runDifference(spec, layout, out) {
  const recorded = (b) => layout.rename(b, (n) => `${BUILD_ROOT2}/${n}`);
  const compare2 = (rel, host, built) => {
    const a = lstatSync2(host, { throwIfNoEntry: false });
    const b = lstatSync2(built, { throwIfNoEntry: false });
    if (!a || !b) return a || b ? `${rel} is only in one of them` : null;
    if (a.isDirectory() !== b.isDirectory() || a.isSymbolicLink() !== b.isSymbolicLink())
      return `${rel} is not the same kind of file`;
    if (a.isDirectory()) {
      const names = /* @__PURE__ */ new Set([...readdirSync8(host), ...readdirSync8(built)]);
      for (const n of [...names].sort())
        for (const d of [compare2(`${rel}/${n}`, `${host}/${n}`, `${built}/${n}`)]) if (d) return d;
      return null;
    }
    if (a.isSymbolicLink())
      return recorded(Buffer.from(readlinkSync(host))).equals(
        sandboxed(Buffer.from(readlinkSync(built)))
      ) ? null : `${rel} links elsewhere`;
    if ((a.mode & 64) !== (b.mode & 64)) return `${rel} differs in its executable bit`;
    return recorded(readFileSync14(host)).equals(sandboxed(readFileSync14(built))) ? null : `${rel} differs`;
  };
  for (const rel of spec.outputFiles) {
    const host = layout.hostPath(rel);
    if (!host) return `${rel} lies outside the plan's roots`;
    const d = compare2(rel, host, `${out}/${rel}`);
    if (d) return d;
  }
  return null;
}

// src/nix/nar.ts
import { createHash as createHash7 } from "node:crypto";
import { readFileSync as readFileSync15, statSync as statSync9 } from "node:fs";
function narString(h, s) {
  const bytes = typeof s === "string" ? Buffer.from(s) : s;
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bytes.length));
  h.update(len).update(bytes);
  if (bytes.length % 8) h.update(Buffer.alloc(8 - bytes.length % 8));
}
function fileNarHash(file, contents = readFileSync15(file)) {
  const h = createHash7("sha256");
  for (const s of ["nix-archive-1", "(", "type", "regular"]) narString(h, s);
  if (statSync9(file).mode & 64) {
    narString(h, "executable");
    narString(h, "");
  }
  narString(h, "contents");
  narString(h, contents);
  narString(h, ")");
  return `sha256-${h.digest("base64")}`;
}
function narOf(node) {
  const chunks = [];
  let size = 0;
  const sink = {
    update(b) {
      chunks.push(b);
      size += b.length;
      return sink;
    }
  };
  const str2 = (s) => narString(sink, s);
  const walk2 = (n) => {
    str2("(");
    if (n.kind === "file") {
      str2("type");
      str2("regular");
      if (n.executable) {
        str2("executable");
        str2("");
      }
      str2("contents");
      str2(n.bytes);
    } else {
      str2("type");
      str2("directory");
      const names = [...n.entries.keys()].sort(
        (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))
      );
      for (const name of names) {
        str2("entry");
        str2("(");
        str2("name");
        str2(name);
        str2("node");
        walk2(n.entries.get(name));
        str2(")");
      }
    }
    str2(")");
  };
  str2("nix-archive-1");
  walk2(node);
  return { chunks, size };
}

// src/build-once/store.ts
async function stepPaths(flakeDir, system, env, signal) {
  const r = await run(
    "nix",
    [
      ...NIX_FEATURES,
      "eval",
      ...GENERATED_FLAKE_ARGS,
      "--json",
      `${pathRef(flakeDir)}#packages.${system}`,
      "--apply",
      'ps: builtins.mapAttrs (n: p: { out = p.outPath; drv = p.drvPath; }) (builtins.removeAttrs ps [ "default" ])'
    ],
    { env, signal }
  );
  if (r.code !== 0) throw new Error(`nix eval of the steps' paths failed:
${tail(r.stderr, 8)}`);
  return new Map(Object.entries(JSON.parse(r.stdout)));
}
async function invalidPaths(paths, env, signal) {
  const r = await run("nix-store", ["--check-validity", "--print-invalid", ...paths], {
    env,
    signal
  });
  if (r.code !== 0) throw new Error(`nix-store --check-validity failed:
${tail(r.stderr, 8)}`);
  return new Set(r.stdout.split("\n").filter(Boolean));
}
async function substitutablePaths(flakeDir, nixArgs, env, signal) {
  const r = await run(
    "nix",
    [
      ...NIX_FEATURES,
      "build",
      ...GENERATED_FLAKE_ARGS,
      "--dry-run",
      "--no-link",
      ...nixArgs,
      `${pathRef(flakeDir)}#default`
    ],
    { env, signal }
  );
  if (r.code !== 0) throw new Error(`nix build --dry-run failed:
${tail(r.stderr, 8)}`);
  return new Set(fetchedPaths(r.stderr));
}
function fetchedPaths(dryRun) {
  const out = [];
  let fetching = false;
  for (const line of dryRun.split("\n")) {
    if (/^\S/.test(line)) fetching = / will be fetched\b/.test(line);
    else if (fetching && /^\s+\/nix\/store\/\S+$/.test(line)) out.push(line.trim());
  }
  return out;
}
var EXPORT_MAGIC = 1163413838;
var BATCH_BYTES = 256 * 1024 * 1024;
function u64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
function str(s) {
  const bytes = Buffer.from(s);
  const pad = bytes.length % 8 ? Buffer.alloc(8 - bytes.length % 8) : Buffer.alloc(0);
  return [u64(bytes.length), bytes, pad];
}
function storeReferences(tree, known) {
  const found = /* @__PURE__ */ new Set();
  const walk2 = (n) => {
    if (n.kind === "dir") for (const c of n.entries.values()) walk2(c);
    else
      for (let i = n.bytes.indexOf("/nix/store/"); i >= 0; i = n.bytes.indexOf("/nix/store/", i + 1)) {
        const path4 = known.get(n.bytes.toString("latin1", i + 11, i + 43));
        if (path4) found.add(path4);
      }
  };
  walk2(tree);
  return [...found].sort();
}
async function importOutputs(regs, env, signal) {
  let batch = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    batch.push(u64(0));
    const r = await run("nix-store", ["--import"], { env, signal, input: batch });
    batch = [];
    bytes = 0;
    if (r.code !== 0) throw new Error(`nix-store --import failed:
${tail(r.stderr, 8)}`);
  };
  for (const reg of regs) {
    const nar = narOf(reg.tree);
    batch.push(u64(1), ...nar.chunks, u64(EXPORT_MAGIC), ...str(reg.paths.out));
    batch.push(u64(reg.references.length), ...reg.references.flatMap(str));
    batch.push(...str(reg.paths.drv), u64(0));
    bytes += nar.size;
    if (bytes >= BATCH_BYTES) await flush();
  }
  await flush();
}
function hashPart(path4) {
  return path4.slice("/nix/store/".length, "/nix/store/".length + 32);
}

// src/build-once/index.ts
var PENDING_BYTES = 256 * 1024 * 1024;
async function buildOnce(opts) {
  const started = Date.now();
  const { plan, model, log } = opts;
  const paths = await stepPaths(opts.flakeDir, opts.system, opts.env, opts.signal);
  const specs = new Map(model.steps.map((s) => [s.id, s]));
  const cwd = new Map(plan.steps.map((s) => [s.id, s.cwd]));
  const layout = new HostLayout(plan.roots);
  const missing = await invalidPaths(
    [...paths.values()].map((p) => p.out),
    opts.env,
    opts.signal
  );
  if (opts.substituterArgs.length > 0 && missing.size > 0)
    for (const p of await substitutablePaths(
      opts.flakeDir,
      opts.substituterArgs,
      opts.env,
      opts.signal
    ))
      missing.delete(p);
  const known = /* @__PURE__ */ new Map();
  for (const p of [...[...paths.values()].map((p2) => p2.out), ...opts.storePaths])
    known.set(hashPart(p), p);
  const good = /* @__PURE__ */ new Map();
  const result = {
    taken: [],
    notTaken: [],
    runsDiffering: [],
    built: [],
    substituted: [],
    machines: {},
    failed: null,
    ms: 0
  };
  const libs = /* @__PURE__ */ new Map();
  const libsOf = (spec) => {
    let l = libs.get(spec.id);
    if (!l) {
      l = spec.libDeps.flatMap((d) => {
        const dep = specs.get(d);
        return [paths.get(d).out, ...dep && dep.kind !== "link" ? libsOf(dep) : []];
      });
      libs.set(spec.id, l);
    }
    return l;
  };
  let pending = [];
  let pendingBytes = 0;
  const flush = async () => {
    await importOutputs(pending, opts.env, opts.signal);
    pending = [];
    pendingBytes = 0;
  };
  const decide = async (spec) => {
    const notGood = spec.deps.find((d) => !good.get(d));
    if (spec.kind === "link") {
      good.set(spec.id, notGood === void 0);
      return;
    }
    const step = paths.get(spec.id);
    const reason = !step ? "the flake has no such step" : notGood !== void 0 ? `it reads ${notGood}, which Nix builds` : null;
    const rec = reason ? null : recordedOutput(spec, libsOf(spec), layout, cwd.get(spec.id) ?? "");
    const why = reason ?? rec?.problem ?? null;
    if (why !== null || !rec?.tree) {
      good.set(spec.id, false);
      result.notTaken.push({ id: spec.id, reason: why ?? "" });
      return;
    }
    good.set(spec.id, true);
    if (!missing.has(step.out)) return;
    result.taken.push(spec.id);
    pending.push({ paths: step, tree: rec.tree, references: storeReferences(rec.tree, known) });
    for (const f of treeBytes(rec.tree)) pendingBytes += f;
    if (pendingBytes >= PENDING_BYTES) await flush();
  };
  const needed = /* @__PURE__ */ new Set();
  const need = (id) => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const d of specs.get(id)?.deps ?? []) need(d);
  };
  for (const st of model.steps)
    if (st.kind !== "run" && st.kind !== "link" && missing.has(paths.get(st.id)?.out ?? ""))
      need(st.id);
  const undecided = new Set(model.steps.filter((st) => needed.has(st.id)).map((st) => st.id));
  for (; ; ) {
    for (let moved = true; moved; ) {
      moved = false;
      for (const id of [...undecided]) {
        const spec = specs.get(id);
        if (spec.kind === "run" || !spec.deps.every((d) => good.has(d))) continue;
        await decide(spec);
        undecided.delete(id);
        moved = true;
      }
    }
    await flush();
    const ready = [...undecided].filter((id) => specs.get(id).deps.every((d) => good.has(d)));
    if (ready.length === 0) break;
    opts.signal?.throwIfAborted();
    log.info(
      `Build once: ${result.taken.length} compiles taken from the recording so far; running ${ready.length} build script(s) under Nix to compare with their recorded runs.`
    );
    const counted = new Set(ready);
    const reach = (id) => {
      const spec = specs.get(id);
      if (counted.has(id) || spec.kind === "run" || spec.kind !== "link" && good.get(id)) return;
      counted.add(id);
      for (const d of spec.deps) reach(d);
    };
    for (const id of ready) for (const d of specs.get(id).deps) reach(d);
    const round = await opts.build(ready, counted);
    result.built.push(...round.built);
    result.substituted.push(...round.substituted);
    addMachines(result.machines, round.machines);
    if (!round.ok) {
      result.failed = round;
      break;
    }
    for (const id of ready) {
      const spec = specs.get(id);
      const diff = runDifference(spec, layout, paths.get(id).out);
      good.set(id, diff === null);
      if (diff !== null) result.runsDiffering.push({ id, reason: diff });
      undecided.delete(id);
    }
  }
  result.ms = Date.now() - started;
  return result;
}
function* treeBytes(n) {
  if (n.kind === "file") yield n.bytes.length;
  else for (const c of n.entries.values()) yield* treeBytes(c);
}

// src/nix/generate.ts
import { createHash as createHash8 } from "node:crypto";
import {
  copyFileSync as copyFileSync2,
  existsSync as existsSync14,
  lstatSync as lstatSync3,
  mkdirSync as mkdirSync4,
  readdirSync as readdirSync9,
  readFileSync as readFileSync19,
  renameSync as renameSync4,
  rmSync as rmSync4,
  writeFileSync as writeFileSync4
} from "node:fs";
import { basename as basename8, dirname as dirname11, join as join17 } from "node:path";

// src/trust/source-gate.ts
import { readFileSync as readFileSync17, realpathSync as realpathSync3 } from "node:fs";
import { isAbsolute as isAbsolute7, normalize as normalize2 } from "node:path";

// src/trust/allowed-roots.ts
import { existsSync as existsSync11, readFileSync as readFileSync16, realpathSync as realpathSync2 } from "node:fs";
import { delimiter, dirname as dirname7, isAbsolute as isAbsolute6, join as join14, resolve as resolve6 } from "node:path";
function resolved(r) {
  try {
    return { ...r, real: realpathSync2(r.path) };
  } catch {
    return { ...r, real: r.path };
  }
}
function cargoHomeOf(env) {
  if (env.CARGO_HOME) return resolve6(env.CARGO_HOME);
  return env.HOME ? join14(env.HOME, ".cargo") : null;
}
function directorySources(file) {
  let config;
  try {
    config = parse(readFileSync16(file, "utf8"));
  } catch {
    return [];
  }
  const sources = isTable(config) ? config.source : void 0;
  if (!isTable(sources)) return [];
  const base = dirname7(dirname7(file));
  return Object.values(sources).flatMap(
    (s) => isTable(s) ? ["directory", "local-registry"].flatMap(
      (k) => typeof s[k] === "string" ? [resolve6(base, s[k])] : []
    ) : []
  );
}
function cargoConfigFiles(sourceDir, cargoHome) {
  const files = [];
  for (let d = sourceDir; ; d = dirname7(d)) {
    files.push(join14(d, ".cargo", "config.toml"), join14(d, ".cargo", "config"));
    if (dirname7(d) === d) break;
  }
  if (cargoHome) files.push(join14(cargoHome, "config.toml"), join14(cargoHome, "config"));
  return [...new Set(files)].filter((f) => existsSync11(f));
}
function toolchainRoots(env) {
  const roots = [{ path: "/nix/store", what: "the Nix store" }];
  const rustupHome = env.RUSTUP_HOME || (env.HOME ? join14(env.HOME, ".rustup") : null);
  if (rustupHome)
    roots.push({ path: join14(resolve6(rustupHome), "toolchains"), what: "rustup's toolchains" });
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!isAbsolute6(dir)) continue;
    let rustc;
    try {
      rustc = realpathSync2(join14(dir, "rustc"));
    } catch {
      continue;
    }
    const sysroot = dirname7(dirname7(rustc));
    if (existsSync11(join14(sysroot, "lib", "rustlib")) && !roots.some((r) => under(sysroot, r.path)))
      roots.push({ path: sysroot, what: `the toolchain of ${join14(dir, "rustc")}` });
  }
  return roots;
}
function allowedSourceRoots(sourceDir, env) {
  const cargoHome = cargoHomeOf(env);
  const roots = [{ path: sourceDir, what: "source-dir" }];
  if (cargoHome)
    roots.push(
      { path: join14(cargoHome, "registry", "src"), what: "cargo's registry (CARGO_HOME)" },
      { path: join14(cargoHome, "git", "checkouts"), what: "cargo's git checkouts (CARGO_HOME)" }
    );
  for (const file of cargoConfigFiles(sourceDir, cargoHome))
    for (const dir of directorySources(file))
      roots.push({ path: dir, what: `a [source] directory of ${file}` });
  for (const t of toolchainRoots(env))
    roots.push(
      t.path === "/nix/store" || t.what === "rustup's toolchains" ? t : { path: join14(t.path, "lib", "rustlib"), what: t.what }
    );
  return roots.map(resolved);
}
function allowedRootOf(path4, roots) {
  let real = path4;
  try {
    real = realpathSync2(path4);
  } catch {
  }
  return roots.find((r) => under(path4, r.path) && under(real, r.real)) ?? null;
}

// src/trust/source-gate.ts
function unplainPath(path4) {
  if (!isAbsolute7(path4)) return "it is not an absolute path";
  if (path4.split("/").includes("..")) return "it climbs out of its directory with '..'";
  if (normalize2(path4) !== path4 && `${normalize2(path4)}/` !== path4)
    return "it is not in plain form ('.', '//')";
  return null;
}
var SourceGate = class {
  constructor(opts) {
    this.opts = opts;
  }
  opts;
  /** What its name alone rules out, for a source and a host file alike: not plain, or a forbidden file. */
  nameProblem(path4) {
    return unplainPath(path4) ?? forbiddenSource(path4, this.opts.forbidden);
  }
  /** Why `path` may not be a source, or null. */
  pathProblem(path4) {
    const named = this.nameProblem(path4);
    if (named) return named;
    if (this.opts.allowed && !allowedRootOf(path4, this.opts.allowed))
      return `it lies outside every directory mode build reads from (${this.opts.allowed.map((r) => r.what).join(", ")})${isSymlinkOut(path4) ? ", once its symlinks are followed" : ""}`;
    return null;
  }
  /**
   * Why `path` may not be a host file (plan/host-files.ts: pinned by its
   * content's hash, never copied), or null: in plain form, no credential, and
   * in a system directory by its name and by where its symlinks lead.
   */
  hostFileProblem(path4) {
    const named = this.nameProblem(path4);
    if (named) return named;
    let real = path4;
    try {
      real = realpathSync3(path4);
    } catch {
      return "it is gone";
    }
    return isHostFile(path4) && isHostFile(real) ? null : "it lies outside the host's system directories once its symlinks are followed";
  }
  /** Why the file at `file` (the source, or a saved copy of it) may not go into the store: the kind of secret it holds, or null. */
  contentProblem(file) {
    const kind = this.opts.secretIn(readFileSync17(file, "latin1"));
    return kind ? `it holds what looks like a secret (${kind}); the value is not shown` : null;
  }
};
function isSymlinkOut(path4) {
  try {
    return realpathSync3(path4) !== path4;
  } catch {
    return false;
  }
}
function sourceGateFor(inputs, env, secretIn) {
  return new SourceGate({
    forbidden: forbiddenContext(env),
    allowed: inputs.mode === "build" ? allowedSourceRoots(inputs.sourceDir, env) : null,
    secretIn
  });
}

// src/nix/flake-model.ts
import { dirname as dirname8, join as join15 } from "node:path";

// src/nix/encode.ts
var TOOLCHAIN_ROOT = "@toolchain";
var RootMatcher = class {
  constructor(roots) {
    this.roots = roots;
    this.byPath = new Map(roots.map((r) => [r.path.replace(/\/+$/, ""), r.name]));
    this.pattern = wholePathPattern([...this.byPath.keys()]);
  }
  roots;
  pattern;
  byPath;
  /** Parts alternating literal, root name, literal, ...; null when no root occurs. */
  split(value) {
    if (!this.pattern) return null;
    const parts = [];
    let last = 0;
    for (const m of value.matchAll(this.pattern)) {
      parts.push(value.slice(last, m.index), this.byPath.get(m[0]));
      last = m.index + m[0].length;
    }
    if (parts.length === 0) return null;
    parts.push(value.slice(last));
    return parts;
  }
  /** `name/rel` of an absolute path under a root (the layout path in a build), or null. */
  relative(path4) {
    let best = null;
    for (const r of this.roots) {
      if (r.name === TOOLCHAIN_ROOT) continue;
      if ((path4 === r.path || path4.startsWith(`${r.path}/`)) && (!best || r.path.length > best.path.length))
        best = r;
    }
    return best ? best.name + path4.slice(best.path.length) : null;
  }
};

// src/nix/flake-model.ts
function dropHostArgs(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a === "-C" || a === "--codegen") && args[i + 1]?.startsWith("incremental=")) {
      i++;
      continue;
    }
    if (a.startsWith("-Cincremental=") || a.startsWith("--diagnostic-width=")) continue;
    if (a === "--diagnostic-width") {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
function envNamesOf(step, env) {
  const names = step.env_names ?? stepEnvNames(step.type, env, step.env_deps, {
    buildEnv: null,
    recorderPaths: [],
    pids: []
  });
  return names.filter((n) => n in env);
}
function depsOf(plan) {
  const kind = new Map(plan.steps.map((s) => [s.id, s.kind]));
  const isLib = (id) => kind.get(id) === "lib" || kind.get(id) === "proc-macro";
  return new Map(
    plan.steps.map((s) => [s.id, { deps: [...s.deps].sort(), libs: s.deps.filter(isLib).sort() }])
  );
}
function runSpec(step, common, libDeps, rec, layout) {
  const isRun = step.type === "build_script_run";
  const outputs = [...step.outputs];
  const mkdirs = /* @__PURE__ */ new Set([layout(rec.cwd)]);
  let stdoutFile = null;
  if (isRun) {
    const outDir = step.outputs[0];
    if (outDir) {
      mkdirs.add(layout(outDir));
      const stdout = join15(dirname8(outDir), "output");
      stdoutFile = layout(stdout);
      outputs.push(stdout);
    }
  } else {
    for (const o of step.outputs) mkdirs.add(layout(dirname8(o)));
  }
  return {
    ...common,
    kind: isRun ? "run" : "compile",
    libDeps,
    command: rec.command,
    cwd: rec.cwd,
    args: isRun ? rec.args : dropHostArgs(rec.args),
    environment: envNamesOf(step, rec.env).map((name) => `${name}=${rec.env[name]}`),
    stdoutFile,
    makeDirs: [...mkdirs],
    outputFiles: outputs.map(layout)
  };
}
function flakeModel(plan, recorded) {
  const records = new Map(recorded.map((r) => [r.id, r]));
  const matcher = new RootMatcher([
    ...plan.roots,
    { name: TOOLCHAIN_ROOT, path: plan.toolchain.sysroot }
  ]);
  const layout = (path4) => {
    const rel = matcher.relative(path4);
    if (rel === null)
      throw new Error(`${path4} lies outside every directory of the plan (plan.json roots)`);
    return rel;
  };
  const hosted = (path4) => isHostSource(plan, path4);
  const all = [...new Set(plan.steps.flatMap((s) => s.sources))];
  const hostFiles = all.filter(hosted).sort(byCodeUnits);
  const sources = all.filter((path4) => !hosted(path4)).map((path4) => ({ path: path4, rel: layout(path4) })).sort((a, b) => byCodeUnits(a.rel, b.rel) || byCodeUnits(a.path, b.path)).map((s, i) => ({ ...s, var: `s${i}` }));
  const sourceVar = new Map(sources.map((s) => [s.path, s.var]));
  const deps = depsOf(plan);
  const steps = plan.steps.map((step) => {
    const d = deps.get(step.id);
    const common = {
      id: step.id,
      deps: d.deps,
      sources: step.sources.filter((src) => !hosted(src)).map((src) => [layout(src), sourceVar.get(src)]),
      hostFiles: step.sources.filter(hosted)
    };
    if (step.type === "link")
      return {
        ...common,
        kind: "link",
        files: (step.files ?? []).map((f) => [layout(f.path), layout(f.from ?? f.path)]),
        emptyDirs: (step.empty_dirs ?? []).map(layout)
      };
    const rec = records.get(step.id);
    if (!rec) throw new Error(`plan step ${step.id} has no record in invocations.jsonl`);
    return runSpec(step, common, d.libs, rec, layout);
  });
  const inResult = (rel) => rel.startsWith("w/") ? rel.slice(2) : rel;
  const kindOf = new Map(plan.steps.map((s) => [s.id, s.type]));
  const artifacts = plan.artifacts.map((a) => ({
    at: inResult(layout(a.path)),
    step: a.step,
    // A link step holds its files at their own paths; an older plan's artifact names a compile's output.
    inStep: layout(kindOf.get(a.step) === "link" ? a.path : a.from)
  }));
  const artifactDirs = plan.steps.flatMap((s) => s.empty_dirs ?? []).map((d) => inResult(layout(d)));
  return { matcher, sources, hostFiles, steps, artifacts, artifactDirs };
}

// src/nix/source-files.ts
import { copyFileSync, existsSync as existsSync12, linkSync as linkSync2, mkdirSync as mkdirSync3 } from "node:fs";
import { dirname as dirname9, join as join16 } from "node:path";
var MARKERS = [".cargo-ok", ".cargo-checksum.json"];
var SourceFiles = class {
  /** `sourceDir`: the tree's root, the user's own: no directory above it is looked at for its files. */
  constructor(sourceDir) {
    this.sourceDir = sourceDir;
  }
  sourceDir;
  made = /* @__PURE__ */ new Set();
  unedited = /* @__PURE__ */ new Map();
  /** Puts `from` (the file at `path`, or a saved copy of it) at `to`. */
  place(from, to, path4) {
    this.makeDir(dirname9(to));
    if (this.inUneditedPackage(dirname9(path4))) link(from, to);
    else copyFileSync(from, to);
  }
  /** A saved copy (the old flake's, deleted once the new one is in place): linked. */
  placeCopy(from, to) {
    this.makeDir(dirname9(to));
    link(from, to);
  }
  makeDir(dir) {
    if (this.made.has(dir)) return;
    mkdirSync3(dir, { recursive: true });
    this.made.add(dir);
  }
  /** Whether the file at `path` belongs to a package cargo keeps unedited (a registry crate, a vendored one). */
  isUnedited(path4) {
    return this.inUneditedPackage(dirname9(path4));
  }
  /** Whether `dir` or a directory above it holds one of cargo's markers (not above the tree's root). */
  inUneditedPackage(dir) {
    let known = this.unedited.get(dir);
    if (known === void 0) {
      const parent = dirname9(dir);
      known = MARKERS.some((m) => existsSync12(join16(dir, m))) || dir !== this.sourceDir && parent !== dir && this.inUneditedPackage(parent);
      this.unedited.set(dir, known);
    }
    return known;
  }
};
function link(from, to) {
  try {
    linkSync2(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

// src/nix/step-format.ts
var STEP_FORMAT = {
  kind: {
    shape: "text",
    doc: "compile (rustc), run (a build script), link (files the build placed itself) or result"
  },
  toolPath: { shape: "text", setBy: "lib.nix", doc: "PATH of the runner and of the command" },
  toolchain: {
    shape: "text",
    setBy: "lib.nix",
    doc: "the toolchain in the store, the root @toolchain"
  },
  deps: {
    shape: "list",
    doc: "the outputs of the steps whose outputs this one reads, laid out under the build root"
  },
  libDeps: {
    shape: "list",
    doc: "those that are libraries: the libraries they list in nix-support/rbn-libs are laid out too"
  },
  rootMark: {
    shape: "text",
    default: "@{",
    doc: "what opens a root reference in rooted text: @@{ (and so on) when the step's own strings hold @{"
  },
  command: { shape: "text", rooted: true, doc: "the program the step runs, as recorded" },
  cwd: { shape: "text", rooted: true, doc: "the directory it runs in" },
  arguments: { shape: "list", rooted: true, doc: "its arguments, as recorded" },
  environment: {
    shape: "list",
    rooted: true,
    doc: "its environment, NAME=value, as recorded (the runner adds PATH, TMPDIR, HOME; NUM_JOBS for a run)"
  },
  sources: {
    shape: "map",
    doc: "each source file the step reads: its path under the build root -> its own store path"
  },
  hostFiles: {
    shape: "map",
    doc: "each file of the host's system directories it reads where it lies (bound into the sandbox): its path -> the sha256 of its content, checked before the command runs"
  },
  makeDirs: { shape: "list", doc: "directories under the build root made before the command runs" },
  outputFiles: { shape: "list", doc: "what the command writes: kept in $out at the same paths" },
  stdoutFile: { shape: "text", doc: "run: where its standard output goes (cargo's `output` file)" },
  files: {
    shape: "map",
    doc: "link: each file placed, its path in $out -> the path under the build root it is a copy of"
  },
  emptyDirs: {
    shape: "list",
    doc: "link: directories the build made, kept in $out even when empty"
  },
  steps: {
    shape: "list",
    setBy: "lib.nix",
    doc: "result: every step, so that building the result builds the plan"
  },
  artifacts: {
    shape: "map",
    doc: "result: each artifact, its path in $out -> the file it is copied from"
  },
  artifactDirs: { shape: "list", doc: "result: empty directories of the artifacts, made in $out" }
};
var NixExpr = class {
  constructor(nix) {
    this.nix = nix;
  }
  nix;
};
var CLOSE = "}";
var MARK = STEP_FORMAT.rootMark.default;
var StepWriter = class {
  constructor(matcher) {
    this.matcher = matcher;
  }
  matcher;
  values = /* @__PURE__ */ new Map();
  /** Rooted values as parts (literal, root, literal, ...), encoded once the mark is known. */
  rooted = /* @__PURE__ */ new Map();
  text(name, value) {
    if (value !== "") this.values.set(name, expr(value));
    return this;
  }
  list(name, values) {
    if (values.length) this.values.set(name, `[ ${values.map(expr).join(" ")} ]`);
    return this;
  }
  /** A map; a key given twice keeps its last value. */
  map(name, entries) {
    const m = new Map(entries);
    if (m.size)
      this.values.set(
        name,
        `{ ${[...m].map(([k, v]) => `${nixAttr(k)} = ${expr(v)};`).join(" ")} }`
      );
    return this;
  }
  rootedText(name, value) {
    if (value !== "") this.rooted.set(name, [this.split(value)]);
    return this;
  }
  rootedList(name, values) {
    if (values.length)
      this.rooted.set(
        name,
        values.map((v) => this.split(v))
      );
    return this;
  }
  split(value) {
    const parts = this.matcher.split(value) ?? [value];
    for (let j = 1; j < parts.length; j += 2)
      if (/[{}]/.test(parts[j])) throw new Error(`a root name holds a brace: ${parts[j]}`);
    return parts;
  }
  /** The attribute lines, in the format's order. */
  lines() {
    const literals = [];
    for (const strings of this.rooted.values())
      for (const parts of strings)
        for (let j = 0; j < parts.length; j += 2) literals.push(parts[j]);
    const mark = rootMark(literals);
    const encode = (parts) => encodeRooted(parts, mark);
    const all = new Map(this.values);
    if (mark !== MARK) all.set("rootMark", nixString(mark));
    for (const [name, strings] of this.rooted) {
      const encoded = strings.map((parts) => nixString(encode(parts)));
      all.set(name, STEP_FORMAT[name].shape === "list" ? `[ ${encoded.join(" ")} ]` : encoded[0]);
    }
    return Object.keys(STEP_FORMAT).filter((name) => all.has(name)).map((name) => `${name} = ${all.get(name)};`);
  }
};
function expr(v) {
  return v instanceof NixExpr ? v.nix : nixString(v);
}
function rootMark(literals) {
  let mark = MARK;
  while (literals.some((l) => l.includes(mark))) mark = `@${mark}`;
  return mark;
}
function encodeRooted(parts, mark) {
  return parts.map((p, j) => j % 2 ? mark + p + CLOSE : p).join("");
}

// src/nix/tools.ts
import { existsSync as existsSync13, readFileSync as readFileSync18, statSync as statSync10 } from "node:fs";
import { dirname as dirname10 } from "node:path";
function hostSandboxPaths(toolchain) {
  const dirs = HOST_TOOL_DIRS.filter((d) => existsSync13(d));
  const covered = (p) => dirs.some((d) => under(p, d));
  if (toolchain === null || covered(`${toolchain}/bin`) && covered(`${toolchain}/lib`))
    return dirs;
  return [...dirs, toolchain];
}
function offlineTools(toolchain, system = currentNixSystem()) {
  const inStore = toolchain.startsWith("/nix/store/");
  const ref = inStore ? `builtins.appendContext ${nixString(toolchain)} { ${nixString(toolchain)} = { path = true; }; }` : nixString(toolchain);
  return {
    system,
    inputs: {},
    expr: `{ bash = "/bin/bash"; path = "/usr/bin:/bin"; toolchain = ${ref}; extraAttrs = { }; }`,
    files: {},
    sandboxPaths: hostSandboxPaths(inStore ? null : toolchain)
  };
}
function onlineTools(nixFlakeDir2, spec, toolchainFile2, system = currentNixSystem()) {
  const files = {
    "toolchain-spec.json": `${JSON.stringify(spec, null, 2)}
`
  };
  if (toolchainFile2 && spec.toolchainFile)
    files[spec.toolchainFile] = readFileSync18(toolchainFile2, "utf8");
  return {
    system,
    inputs: { [ONLINE_INPUT]: pathRef(nixFlakeDir2) },
    expr: ONLINE_EXPR,
    files,
    sandboxPaths: []
  };
}
var ONLINE_INPUT = "rust-bootstrap-nix";
var ONLINE_EXPR = `let
        raw = builtins.fromJSON (builtins.readFile ./toolchain-spec.json);
        spec = raw // (if raw ? toolchainFile then { toolchainFile = ./. + "/\${raw.toolchainFile}"; } else { });
        env = ${ONLINE_INPUT}.lib.onlineEnvFor { inherit system spec; };
      in { bash = env.shell; path = env.path; toolchain = "\${env.toolchain}"; extraAttrs = { }; }`;
function usableByAll(file) {
  try {
    if ((statSync10(file).mode & 5) !== 5) return false;
    for (let d = dirname10(file); ; d = dirname10(d)) {
      if ((statSync10(d).mode & 1) === 0) return false;
      if (d === dirname10(d)) return true;
    }
  } catch {
    return false;
  }
}

// src/nix/generate.ts
var shapes = new Redactor([]);
var DEFAULT_GATE = new SourceGate({
  forbidden: forbiddenContext({}),
  allowed: null,
  secretIn: (text) => shapes.secretKindIn(text)
});
function renderStep(step, matcher, hostSums) {
  const ref = (id) => new NixExpr(`S.${nixAttr(id)}`);
  const w = new StepWriter(matcher);
  w.list("deps", step.deps.map(ref));
  w.map(
    "sources",
    step.sources.map(([rel, v]) => [rel, new NixExpr(v)])
  );
  w.map(
    "hostFiles",
    step.hostFiles.map((path4) => [path4, hostSums.get(path4)])
  );
  w.text("kind", step.kind);
  if (step.kind === "link") {
    w.map("files", step.files);
    w.list("emptyDirs", step.emptyDirs);
  } else {
    w.list("libDeps", step.libDeps.map(ref));
    w.rootedText("command", step.command);
    w.rootedText("cwd", step.cwd);
    w.rootedList("arguments", step.args);
    w.rootedList("environment", step.environment);
    if (step.stdoutFile !== null) w.text("stdoutFile", step.stdoutFile);
    w.list("makeDirs", step.makeDirs);
    w.list("outputFiles", step.outputFiles);
  }
  return `  ${nixAttr(step.id)} = mkStep ${nixString(step.id)} {
    ${w.lines().join("\n    ")}
  };`;
}
function renderResult(model) {
  const result = new StepWriter(model.matcher);
  result.map(
    "artifacts",
    model.artifacts.map((a) => [
      a.at,
      new NixExpr(`"\${S.${nixAttr(a.step)}}" + ${nixString(`/${a.inStep}`)}`)
    ])
  );
  result.list("artifactDirs", model.artifactDirs);
  return result.lines();
}
function generateFlake(opts) {
  const { plan, flakeDir, tools } = opts;
  const model = flakeModel(plan, opts.records);
  const out = `${flakeDir}.new`;
  rmSync4(out, { recursive: true, force: true });
  mkdirSync4(join17(out, "sources"), { recursive: true });
  const assets = join17(assetsDir(), "nix");
  copyFileSync2(join17(assets, "lib.nix"), join17(out, "lib.nix"));
  copyFileSync2(join17(assets, "step-runner.sh"), join17(out, "step-runner.sh"));
  const place2 = sourcePlacer(opts, out);
  const sourceLines = model.sources.map(({ path: path4, rel, var: v }) => {
    const dest = place2(path4, rel);
    return `  ${v} = src ${nixString(rel)} ${nixString(storeName(basename8(path4)))} ${nixString(fileNarHash(dest))};`;
  });
  const hostSums = hashHostFiles(opts, model.hostFiles);
  const stepLines = model.steps.map((step) => renderStep(step, model.matcher, hostSums));
  writeFileSync4(
    join17(out, "steps.nix"),
    `# Generated by rust-bootstrap-nix from plan.json: one derivation per recorded step.
{ mkStep, src }:
let
${sourceLines.join("\n")}
  S = {
${stepLines.join("\n")}
  };
in S
`
  );
  writeFileSync4(
    join17(out, "result.nix"),
    `# The final artifacts (plan.json "artifacts").
S: {
  ${renderResult(model).join("\n  ")}
}
`
  );
  writeFileSync4(join17(out, "flake.nix"), renderFlake(tools));
  for (const [name, content] of Object.entries(tools.files))
    writeFileSync4(join17(out, name), content);
  const digest2 = rootDigest(out);
  rmSync4(flakeDir, { recursive: true, force: true });
  renameSync4(out, flakeDir);
  return { dir: flakeDir, steps: plan.steps.length, sources: model.sources.length, digest: digest2, model };
}
function sourcePlacer(opts, out) {
  const { plan, flakeDir } = opts;
  const rootName = new Map(plan.roots.map((r) => [r.path, r.name]));
  const stampPattern = wholePathPattern([...rootName.keys()], false);
  const stamps = new Set(plan.steps.flatMap((s) => s.type === "link" ? s.sources : []));
  const files = new SourceFiles(plan.source_dir);
  const gate = opts.gate ?? DEFAULT_GATE;
  const refuse = refuser(plan);
  return (path4, rel) => {
    const problem = gate.pathProblem(path4);
    if (problem) throw refuse(path4, problem);
    const dest = join17(out, "sources", rel);
    const copied = join17(flakeDir, "sources", rel);
    const raw = existsSync14(path4) ? path4 : opts.carried?.(path4) ?? null;
    if (raw === null && !lstatSync3(copied, { throwIfNoEntry: false })?.isFile())
      throw new Error(
        `source ${path4} is gone, and ${flakeDir} holds no copy of it; emit again in the source tree`
      );
    if (!files.isUnedited(path4)) {
      const secret = gate.contentProblem(raw ?? copied);
      if (secret) throw refuse(path4, secret);
    }
    if (stamps.has(path4) && raw !== null) {
      files.makeDir(dirname11(dest));
      const text = readFileSync19(raw, "latin1");
      writeFileSync4(
        dest,
        stampPattern ? text.replace(stampPattern, (m) => `/rbn/${rootName.get(m)}`) : text,
        "latin1"
      );
    } else if (raw === null) files.placeCopy(copied, dest);
    else files.place(raw, dest, path4);
    return dest;
  };
}
function refuser(plan) {
  const readBy = /* @__PURE__ */ new Map();
  for (const s of plan.steps) for (const p of s.sources) if (!readBy.has(p)) readBy.set(p, s.id);
  return (path4, why) => new Error(
    `source ${path4} (read by step ${readBy.get(path4)}) is not put into the flake or the Nix store: ${why}`
  );
}
function hashHostFiles(opts, paths) {
  const gate = opts.gate ?? DEFAULT_GATE;
  const refuse = refuser(opts.plan);
  return new Map(
    paths.map((path4) => {
      const problem = gate.hostFileProblem(path4);
      if (problem) throw refuse(path4, problem);
      return [path4, createHash8("sha256").update(readFileSync19(path4)).digest("hex")];
    })
  );
}
function rootDigest(dir) {
  const h = createHash8("sha256");
  for (const name of readdirSync9(dir).sort()) {
    if (name === "sources") continue;
    h.update(`${name}\0`).update(readFileSync19(join17(dir, name))).update("\0");
  }
  return h.digest("hex");
}
var SYSTEM_LINE = /^ {6}system = "([a-z0-9_]+-[a-z]+)";$/m;
function flakeSystem(flakeDir) {
  const file = join17(flakeDir, "flake.nix");
  const m = existsSync14(file) ? SYSTEM_LINE.exec(readFileSync19(file, "utf8")) : null;
  if (!m)
    throw new Error(`${file} is not a flake rust-bootstrap-nix generated (it names no system)`);
  return m[1];
}
function vendoredFlakeNix(system, vendored) {
  return renderFlake(
    { system, inputs: {}, expr: ONLINE_EXPR, files: {}, sandboxPaths: [] },
    vendored
  );
}
function renderFlake(tools, vendored = null) {
  const declared = vendored ? vendored.inputs : Object.fromEntries(Object.entries(tools.inputs).map(([n, url]) => [n, { url, follows: {} }]));
  const inputNames = Object.keys(declared);
  const inputs = inputNames.flatMap((n) => [
    `    ${nixAttr(n)}.url = ${nixString(declared[n].url)};`,
    ...Object.entries(declared[n].follows).map(
      ([i, target]) => `    ${nixAttr(n)}.inputs.${nixAttr(i)}.follows = ${nixString(target)};`
    )
  ]).join("\n");
  const imported = vendored ? `      ${ONLINE_INPUT} =
        let
          flake = import ./${vendored.dir}/flake.nix;
          outputs = flake.outputs { self = outputs; inherit ${inputNames.map(nixAttr).join(" ")}; };
        in outputs;
` : "";
  return `# Generated by rust-bootstrap-nix. \`nix build\` builds every step and the final
# artifacts; each step is also packages.${tools.system}.<step id>.
{
  description = "rust-bootstrap-nix: the recorded build, one derivation per step";
${inputNames.length ? `  inputs = {
${inputs}
  };
` : ""}  outputs = { self${inputNames.map((n) => `, ${nixAttr(n)}`).join("")} }:
    let
${imported}      system = ${nixString(tools.system)};
      tools = ${tools.expr};
      lib = import ./lib.nix { inherit system tools; };
      steps = import ./steps.nix { inherit (lib) mkStep src; };
    in {
      packages.\${system} = steps // { default = lib.mkAll steps (import ./result.nix steps); };
    };
}
`;
}

// src/toolchain/resolve.ts
import { createHash as createHash9 } from "node:crypto";
import {
  copyFileSync as copyFileSync3,
  existsSync as existsSync15,
  lstatSync as lstatSync4,
  mkdirSync as mkdirSync5,
  realpathSync as realpathSync4,
  writeFileSync as writeFileSync5
} from "node:fs";
import path3 from "node:path";
async function resolveToolchain(spec, opts) {
  if (spec.kind === "system") return resolveSystemToolchain({ env: opts.env, cwd: opts.cwd });
  const system = opts.system ?? currentNixSystem();
  const ref = writeToolchainFlake(opts.workDir, spec, { nixFlakeDir: opts.nixFlakeDir, system });
  const installable = `${ref}#packages.${system}.toolchain`;
  const out = await buildOutPath(installable, opts);
  const resolved2 = await describeToolchain(
    out,
    { rustc: `${out}/bin/rustc`, cargo: `${out}/bin/cargo`, sysroot: out },
    opts.env
  );
  if (spec.stage0) {
    const problem = bootstrapCompilerProblem(spec.stage0.sourceVersion, resolved2.version);
    if (problem) {
      throw new Error(
        `the stage0 compiler (${spec.channel}) is rustc ${resolved2.version}, but src/version is ${spec.stage0.sourceVersion}: ${problem}`
      );
    }
  }
  return resolved2;
}
function writeToolchainFlake(dir, spec, opts) {
  mkdirSync5(dir, { recursive: true });
  let fileName;
  if (spec.origin === "file" && spec.file) {
    fileName = path3.basename(spec.file);
    copyFileSync3(spec.file, path3.join(dir, fileName));
  }
  const json = flakeSpec(spec, fileName);
  writeFileSync5(path3.join(dir, "spec.json"), `${JSON.stringify(json, null, 2)}
`);
  writeFileSync5(path3.join(dir, "flake.nix"), wrapperFlake(opts.nixFlakeDir, opts.system));
  return pathRef(dir);
}
function wrapperFlake(nixFlakeDir2, system) {
  return `# Generated by rust-bootstrap-nix: selects the toolchain spec.json names.
{
  inputs.rust-bootstrap-nix.url = ${nixString(pathRef(nixFlakeDir2))};
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
async function resolveSystemToolchain(opts = {}) {
  const env = opts.env ?? process.env;
  const onPath = whichIn("rustc", env);
  if (!onPath) {
    throw new Error("toolchain: system, but there is no rustc on PATH");
  }
  const sysroot = (await runChecked(onPath, ["--print", "sysroot"], { env, cwd: opts.cwd })).stdout.trim();
  const inSysroot = (name) => {
    const p = path3.join(sysroot, "bin", name);
    return existsSync15(p) ? p : null;
  };
  const rustc = inSysroot("rustc") ?? realpathSync4(onPath);
  let cargo = inSysroot("cargo");
  if (!cargo) {
    const c = whichIn("cargo", env);
    if (!c)
      throw new Error(`toolchain: system, but there is no cargo in ${sysroot}/bin or on PATH`);
    cargo = realpathSync4(c);
    if (path3.basename(cargo).startsWith("rustup")) {
      cargo = (await runChecked("rustup", ["which", "cargo"], { env, cwd: opts.cwd })).stdout.trim();
    }
  }
  return describeToolchain("system", { rustc, cargo, sysroot }, env);
}
async function describeToolchain(toolchain, paths, env) {
  for (const p of [paths.rustc, paths.cargo]) {
    if (!existsSync15(p)) throw new Error(`the toolchain ${toolchain} has no ${p}`);
  }
  const verbose = (await runChecked(paths.rustc, ["-vV"], { env })).stdout;
  const field = (k) => new RegExp(`^${k}: (.+)$`, "m").exec(verbose)?.[1]?.trim() ?? "";
  return { toolchain, ...paths, version: field("release"), host: field("host"), verbose };
}
async function addSysrootToStore(sysroot, opts) {
  const name = opts.name ?? "rust-sysroot";
  if (!/^[A-Za-z0-9+\-._?=]+$/.test(name)) throw new Error(`invalid store path name ${name}`);
  const expr2 = `let root = builtins.getEnv "RBN_SYSROOT"; n = builtins.stringLength root; in
    builtins.path {
      path = /. + root;
      name = builtins.getEnv "RBN_NAME";
      filter = p: type:
        builtins.elem
          (builtins.head (builtins.split "/" (builtins.substring (n + 1) (builtins.stringLength p) p)))
          [ "bin" "lib" ];
    }`;
  const env = { ...opts.env ?? process.env, RBN_SYSROOT: path3.resolve(sysroot), RBN_NAME: name };
  const nix = opts.nix ?? "nix";
  const r = await runChecked(
    nix,
    [...NIX_FEATURES, "eval", "--impure", "--raw", "--expr", expr2, ...opts.nixArgs ?? []],
    { env, signal: opts.signal }
  );
  const storePath = r.stdout.trim();
  if (!await rootStorePath(storePath, { ...opts, env, name }))
    throw new Error(`${storePath} was not added to the Nix store`);
  return { storePath, rustc: `${storePath}/bin/rustc`, cargo: `${storePath}/bin/cargo` };
}
async function rootStorePath(storePath, opts) {
  const env = opts.env ?? process.env;
  mkdirSync5(opts.gcRootDir, { recursive: true });
  const r = await run(
    nixStoreNear(opts.nix ?? "nix", env),
    ["--realise", storePath, "--add-root", path3.join(opts.gcRootDir, opts.name)],
    { env, signal: opts.signal }
  );
  return r.code === 0;
}
function sysrootFingerprint(sysroot) {
  const h = createHash9("sha256");
  for (const top of ["bin", "lib"]) {
    const d = path3.join(sysroot, top);
    if (!existsSync15(d)) continue;
    walk(d, {
      onError: "throw",
      sorted: true,
      entry: (e, p) => {
        const st = lstatSync4(p);
        h.update(`${top}/${path3.relative(d, p)}\0${st.mode}\0${st.size}\0${st.mtimeMs}
`);
        return e.isDirectory();
      }
    });
  }
  return h.digest("hex");
}
function nixStoreNear(nix, env) {
  if (nix.includes("/")) return path3.join(path3.dirname(nix), "nix-store");
  const found = whichIn("nix-store", env);
  if (!found) throw new Error("nix-store is not on PATH");
  return found;
}

// src/toolchain/store-copy.ts
import { join as join18 } from "node:path";
async function toolsFor(plan, previous, env, gcRoots, log, signal) {
  const nixSpec = plan.toolchain.nix_spec;
  if (nixSpec) return { tools: onlineTools(nixFlakeDir(), nixSpec.spec, nixSpec.file), copy: null };
  const sysroot = plan.toolchain.sysroot;
  if (sysroot.startsWith("/nix/store/") || usableByAll(join18(sysroot, "bin", "rustc")))
    return { tools: offlineTools(sysroot), copy: null };
  const fingerprint = sysrootFingerprint(sysroot);
  if (previous?.fingerprint === fingerprint) {
    const inStore = await rootStorePath(previous.storePath, {
      gcRootDir: gcRoots,
      name: TOOLCHAIN_COPY,
      env,
      signal
    });
    return { tools: offlineTools(previous.storePath), copy: { ...previous, inStore } };
  }
  const storePath = await addToolchainCopy(sysroot, env, gcRoots, log, signal);
  return { tools: offlineTools(storePath), copy: { fingerprint, storePath, inStore: true } };
}
var TOOLCHAIN_COPY = "rust-toolchain-system";
async function addToolchainCopy(sysroot, env, gcRoots, log, signal) {
  const started = Date.now();
  const added = await addSysrootToStore(sysroot, {
    gcRootDir: gcRoots,
    env,
    name: TOOLCHAIN_COPY,
    signal
  });
  log.info(
    `Added the system toolchain to the Nix store in ${((Date.now() - started) / 1e3).toFixed(1)} s: ${added.storePath}`
  );
  return added.storePath;
}
async function copyWhenNeeded(copy, previous, digest2, plan, where) {
  const { log, signal, nixEnv, gcRoots } = where;
  const outPaths = previous?.outPaths ?? [];
  if (digest2 !== null && digest2 === previous?.flakeDigest && outPaths.length > 0) {
    await where.importing;
    if ((await validPaths(outPaths, nixEnv)).length === outPaths.length) {
      log.info(
        "Every step output came with the restored cache: the system toolchain is not copied into the Nix store."
      );
      return { ...copy, inStore: false };
    }
  }
  const storePath = await addToolchainCopy(plan.toolchain.sysroot, nixEnv, gcRoots, log, signal);
  return { ...copy, storePath, inStore: true };
}

// src/stages/nix-build.ts
async function lastBuildAgain(previous, plan, gcRoots, env, ctx) {
  const started = Date.now();
  for (const [i, out] of previous.outPaths.entries())
    await rootStorePath(out, {
      gcRootDir: gcRoots,
      name: i ? `result-${i}` : "result",
      env,
      signal: ctx.signal
    });
  ctx.log.info("The flake is the last build's and every output is in the store: nothing to build.");
  const seen = { started: 0, finished: 0, failed: 0, expected: 0 };
  const { done, detail } = buildProgress(plan.steps.length, seen, true, true);
  ctx.log.progress("nix build", done, plan.steps.length, detail);
  return {
    ok: true,
    outPaths: previous.outPaths,
    built: [],
    reused: plan.steps.length,
    substituted: [],
    machines: {},
    builtDrvs: [],
    untrusted: [],
    ms: Date.now() - started,
    failure: null,
    failedStep: null
  };
}
async function buildWithNix(inputs, recorded, cached, ctx, nixEnv, kept = null) {
  const { log, signal } = ctx;
  const gcRoots = runnerDirs.gcRoots(ctx.env);
  const cacheDir = nixCacheDir(ctx.env);
  enter(ctx, "getting the toolchain into the Nix store");
  const importing = importBinaryCache(cacheDir, nixEnv, log, signal);
  importing.catch(() => {
  });
  const previous = kept?.lastBuild ?? null;
  let { tools, copy } = await toolsFor(
    recorded.plan,
    previous?.toolchainCopy ?? null,
    nixEnv,
    gcRoots,
    log,
    signal
  );
  const where = { log, signal, nixEnv, gcRoots, importing };
  const startCopy = (digest2) => {
    const started = copy && !copy.inStore ? copyWhenNeeded(copy, previous, digest2, recorded.plan, where) : null;
    started?.catch(() => {
    });
    return started;
  };
  let copying = recorded.plan.reuse?.rebuilt_steps.length ? startCopy(null) : null;
  enter(ctx, "generating the flake");
  const flakeDir = metadataPath(inputs.metadataDir, "flake");
  const generate = () => generateFlake({
    plan: recorded.plan,
    records: recorded.records,
    flakeDir,
    tools,
    carried: kept?.carried ?? void 0,
    gate: sourceGateFor(inputs, ctx.env, (text) => ctx.redactor.secretKindIn(text))
  });
  let generated = generate();
  log.info(`Generated ${flakeDir}: ${generated.steps} steps, ${generated.sources} source files.`);
  copying ??= startCopy(generated.digest);
  enter(
    ctx,
    copying ? "importing the Nix binary cache and copying the toolchain" : "importing the Nix binary cache"
  );
  const imported = await importing;
  if (imported > 0)
    log.info(`Imported ${imported} store paths from the restored Nix binary cache.`);
  if (copy && copying) {
    const named = copy.storePath;
    copy = await copying;
    if (copy.storePath !== named) {
      tools = offlineTools(copy.storePath);
      generated = generate();
    }
  }
  const finished = [];
  const build = (outLink, more = {}) => nixBuild(
    {
      flakeDir,
      outLink,
      attrs: more.attrs,
      before: more.before,
      env: nixEnv,
      // A round of build once counts only the steps it may build.
      steps: more.counted ? recorded.plan.steps.filter((st) => more.counted.has(st.id)) : recorded.plan.steps,
      roots: recorded.plan.roots,
      signal: ctx.signal,
      nixArgs: cacheBuildArgs(inputs),
      sandboxPaths: tools.sandboxPaths,
      // Every core of the runner, unless nix-conf says (`max-jobs = 0`: only the remote builders).
      maxJobs: nixConfSets(inputs.nixConf, "max-jobs") ? null : "auto",
      onStepBuilt: (drv) => finished.push(drv)
    },
    log
  ).catch((e) => {
    deferPush(inputs, finished, ctx.state, log, "was cancelled");
    throw e;
  });
  const againOnly = !!(copy && !copy.inStore && previous);
  let once = null;
  const pushing = !!(inputs.binaryCache && inputs.binaryCacheSecretKey);
  if (inputs.buildOnce && recorded.outputsHere && pushing)
    log.info(
      "Build once is off while pushing to the binary cache (binary-cache-secret-key): every step is built by Nix, so the cache holds only sandboxed builds."
    );
  if (inputs.buildOnce && recorded.outputsHere && !againOnly && !pushing) {
    enter(ctx, NIX_STAGES.buildOnce);
    once = await buildOnce({
      plan: recorded.plan,
      model: generated.model,
      flakeDir,
      system: tools.system,
      storePaths: copy ? [copy.storePath] : [],
      env: nixEnv,
      signal,
      log,
      substituterArgs: cacheBuildArgs(inputs),
      build: (ids, counted) => build(null, { attrs: { system: tools.system, ids }, counted })
    });
    log.info(buildOnceLine(once, recorded.plan.steps.length));
  }
  enter(ctx, NIX_STAGES.build);
  const last = againOnly ? (
    // The last build's flake, every output in the store: Nix would build nothing,
    // and could not evaluate its steps without the toolchain copy they name.
    await lastBuildAgain(previous, recorded.plan, gcRoots, nixEnv, ctx)
  ) : await build(join19(gcRoots, "result"), {
    before: once ? { built: once.built.length, taken: once.taken.length } : void 0
  });
  const built = once ? withRounds(last, once, recorded.plan.steps.length) : last;
  if (built.untrusted.length > 0) log.warning(untrustedFix(built.untrusted, tools.sandboxPaths));
  if (built.substituted.length > 0)
    log.info(`Substituted ${built.substituted.length} steps from ${inputs.binaryCache}.`);
  if (inputs.binaryCache) enter(ctx, "pushing to the binary cache");
  const cacheUse = await afterBuild(
    inputs,
    built,
    recorded.plan.steps,
    nixEnv,
    ctx.state,
    log,
    signal
  );
  if (built.ok) await keepNixCache(inputs, cached, built.outPaths, kept, ctx, nixEnv);
  const lastBuild = {
    flakeDigest: generated.digest,
    outPaths: built.outPaths,
    toolchainCopy: copy ? { fingerprint: copy.fingerprint, storePath: copy.storePath } : null
  };
  return { ...built, flakeDir, lastBuild, cacheUse, once };
}
var NIX_STAGES = {
  buildOnce: "taking the recording's compiles as their steps' outputs",
  build: "the Nix build"
};
function withRounds(last, once, steps) {
  const built = [.../* @__PURE__ */ new Set([...once.built, ...last.built])];
  const machines = { ...once.machines };
  addMachines(machines, last.machines);
  return {
    ...last,
    ok: last.ok && !once.failed,
    built,
    substituted: [.../* @__PURE__ */ new Set([...once.substituted, ...last.substituted])],
    machines,
    reused: steps - built.length - once.taken.length,
    ms: last.ms + once.ms
  };
}
function buildOnceLine(once, steps) {
  const differing = once.runsDiffering.length ? ` ${once.runsDiffering.length} build script run(s) under Nix differed from the recording (${once.runsDiffering.slice(0, 3).map((r) => `${r.id}: ${r.reason}`).join("; ")}), so the compiles reading them are built by Nix.` : "";
  return `Build once: ${once.taken.length} of ${steps} steps taken from the recording (compiled once), ${once.notTaken.length} compile(s) left to Nix.${differing}`;
}

// src/stages/preflight.ts
import { delimiter as delimiter2, resolve as resolve7 } from "node:path";

// src/toolchain/realise.ts
function parseToolchainInput(inputs, log) {
  try {
    const spec = parseToolchain(inputs.toolchain, {
      sourceDir: inputs.sourceDir,
      targets: inputs.targets,
      components: inputs.components
    });
    for (const w of spec.warnings) log.warning(w);
    return spec;
  } catch (e) {
    if (e instanceof ToolchainInputError) throw new InputError("toolchain", e.message);
    throw e;
  }
}
async function checkTargetsKnown(toolchain, targets, env) {
  if (targets.length === 0) return;
  const known = new Set(
    (await runChecked(toolchain.rustc, ["--print", "target-list"], { env })).stdout.split("\n")
  );
  const unknown = targets.filter((t) => !known.has(t));
  if (unknown.length > 0)
    throw new InputError(
      "targets",
      `${unknown.map((t) => `'${t}'`).join(", ")} ${unknown.length === 1 ? "is" : "are"} not among the targets rustc ${toolchain.version} knows (rustc --print target-list); check the spelling.`
    );
}
function specForFlake(spec) {
  if (spec.kind !== "nix") return null;
  const file = spec.origin === "file" && spec.file ? spec.file : null;
  return { spec: flakeSpec(spec, file ? "rust-toolchain-file" : void 0), file };
}
async function realiseToolchain(spec, inputs, env, log, signal) {
  if (spec.kind === "system") {
    let system;
    try {
      system = await resolveSystemToolchain({ env, cwd: inputs.sourceDir });
    } catch (e) {
      throw new InputError(
        "toolchain",
        `'system' needs rustc and cargo on PATH (${e.message}); install Rust on the runner or choose a toolchain such as 'stable'.`
      );
    }
    await checkTargetsKnown(system, inputs.targets, env);
    return system;
  }
  return log.group(`Toolchain: ${spec.channel ?? spec.origin} through rust-overlay`, async () => {
    try {
      return await resolveToolchain(spec, {
        nixFlakeDir: nixFlakeDir(),
        workDir: runnerDirs.toolchainFlake(env),
        gcRootDir: runnerDirs.gcRoots(env),
        env,
        cwd: inputs.sourceDir,
        signal
      });
    } catch (e) {
      throw new Error(
        `toolchain '${inputs.toolchain}' could not be realised: ${e.message}`,
        {
          cause: e
        }
      );
    }
  });
}

// src/trust/metadata-trust.ts
function checkMetadataTrust(inputs) {
  const dir = inputs.metadataDir;
  const digest2 = metadataDigest(dir);
  if (inputs.metadataDigest) {
    if (inputs.metadataDigest !== digest2)
      throw new InputError(
        "metadata-digest",
        `metadata-dir ${dir} does not hold the emit it names: plan.json and invocations.jsonl have digest ${digest2}. They were changed since that emit (or are another emit's); download the emit's own artifact, or emit again.`
      );
    return { digest: digest2, verified: true };
  }
  if (inputs.trustMetadata === "false")
    throw new InputError(
      "metadata-digest",
      `is empty, so metadata-dir ${dir} (an artifact or a cache, whoever wrote it) cannot be verified; pass the emit's plan-digest output (e.g. \${{ needs.emit.outputs.plan-digest }}), or set trust-metadata: true to build it unverified (see README, Security).`
    );
  const signs = inputs.binaryCacheSecretKey ? "binary-cache-secret-key" : null;
  const publishes = inputs.publish ? "publish" : null;
  const second = signs ?? publishes;
  if (second && inputs.trustMetadata !== "sign-and-publish")
    throw new InputError(
      "trust-metadata",
      `is 'true': metadata-dir ${dir} is built unverified, but never with ${second}; pass metadata-digest, or set trust-metadata: sign-and-publish to sign and publish what unverified metadata builds.`
    );
  return { digest: digest2, verified: false };
}

// src/trust/untrusted-metadata.ts
import { basename as basename9, join as join20 } from "node:path";
function planPaths(plan) {
  const out = [
    ["source_dir", plan.source_dir],
    ["toolchain.rustc", plan.toolchain.rustc],
    ["toolchain.cargo", plan.toolchain.cargo],
    ["toolchain.sysroot", plan.toolchain.sysroot]
  ];
  for (const t of plan.target_dirs) out.push(["target_dirs", t]);
  for (const r of plan.roots) out.push([`roots ${r.name}`, r.path]);
  for (const s of plan.steps) {
    const at = `step ${s.id}`;
    out.push([`${at} cwd`, s.cwd]);
    for (const p of s.outputs) out.push([`${at} output`, p]);
    for (const p of s.sources) out.push([`${at} source`, p]);
    for (const f of s.files ?? []) {
      out.push([`${at} file`, f.path]);
      if (f.from) out.push([`${at} file`, f.from]);
    }
    for (const d of s.empty_dirs ?? []) out.push([`${at} empty dir`, d]);
  }
  for (const a of plan.artifacts) out.push(["artifact", a.path], ["artifact", a.from]);
  return out;
}
function refusalOf(plan, records, gate, env) {
  const refuse = (entry, why) => ({ file: "plan.json", entry, why });
  for (const [where, path4] of planPaths(plan)) {
    const problem = unplainPath(path4);
    if (problem) return refuse(`${where} ${JSON.stringify(path4)}`, problem);
  }
  for (const r of plan.roots)
    if (r.name.split("/").some((s) => s === "" || s === "." || s === ".."))
      return refuse(`root name ${JSON.stringify(r.name)}`, "it is not a plain relative name");
  const { sysroot, rustc } = plan.toolchain;
  const toolchains = toolchainRoots(env);
  if (!toolchains.some((t) => under(sysroot, t.path)))
    return refuse(
      `toolchain.sysroot ${sysroot}`,
      `it is none of this machine's toolchains (${toolchains.map((t) => t.what).join(", ")})`
    );
  if (!under(rustc, sysroot))
    return refuse(`toolchain.rustc ${rustc}`, "it lies outside its sysroot");
  for (const s of plan.steps)
    for (const src of s.sources) {
      const problem = isHostSource(plan, src) ? gate.hostFileProblem(src) : gate.pathProblem(src);
      if (problem) return refuse(`step ${s.id}'s source ${src}`, problem);
    }
  const matcher = new RootMatcher(plan.roots);
  const built = new Set(
    plan.steps.flatMap((s) => s.outputs).flatMap((o) => matcher.relative(o) ?? [])
  );
  const isBuilt = (p) => built.has(matcher.relative(p) ?? "\0");
  const isCompiler = (p) => p === rustc || under(p, join20(sysroot, "bin")) && /^(rustc|rustdoc|clippy-driver)$/.test(basename9(p));
  for (const r of records) {
    const ok = r.type === "cargo_invocation" ? basename9(r.command) === "cargo" : r.type === "build_script_run" ? isBuilt(r.command) : isCompiler(r.command) || isBuilt(r.command);
    if (!ok)
      return {
        file: "invocations.jsonl",
        entry: `record ${r.id} (${r.type})`,
        why: `its command ${JSON.stringify(r.command)} is not ${r.type === "build_script_run" ? "a build script the plan compiles" : r.type === "cargo_invocation" ? "a cargo" : "the toolchain's rustc or a program the plan builds"}`
      };
  }
  return null;
}
function checkEarlierEmit(metadataDir, plan, records, gate, env) {
  const r = refusalOf(plan, records, gate, env);
  if (r)
    throw new InputError(
      "metadata-dir",
      `${join20(metadataDir, r.file)}: ${r.entry} is refused: ${r.why}. mode build reads only the tree, cargo's registry and vendor directories and the toolchain, and runs only the plan's compilers and programs (see README, Security).`
    );
}

// src/stages/preflight.ts
function findProgram(program, cwd, env) {
  if (program.includes("/")) return isExecutableFile(resolve7(cwd, program));
  return whichIn(program, { PATH: [recorderDir(), env.PATH ?? ""].join(delimiter2) }) !== null;
}
function damaged(file, what) {
  return new InputError(
    "metadata-dir",
    `${file} ${what}; it was not written by an emit of this version, or was damaged since. Run mode 'emit' (or 'emit-then-build') again.`
  );
}
function readEarlierEmit(dir) {
  try {
    return readRecordsAndPlan(dir);
  } catch (e) {
    if (!(e instanceof MetadataProblem)) throw e;
    if (e.kind === "missing" && e.file === metadataPath(dir, "plan"))
      throw new InputError(
        "metadata-dir",
        `${dir} holds no plan.json; run with mode 'emit' (or 'emit-then-build') first, or point metadata-dir at an earlier emit.`
      );
    throw damaged(e.file, e.what);
  }
}
function preflightEarlier(inputs, env, log, publishing) {
  const { records, plan } = readEarlierEmit(inputs.metadataDir);
  const trust = checkMetadataTrust({ ...inputs, publish: publishing });
  if (!trust.verified)
    log.warning(
      `Building ${inputs.metadataDir} unverified (trust-metadata: ${inputs.trustMetadata}): no metadata-digest vouches for it.`
    );
  checkEarlierEmit(
    inputs.metadataDir,
    plan,
    records,
    sourceGateFor(inputs, env, () => null),
    env
  );
  return { records, plan, trust };
}
function preflightFresh(inputs, env, log) {
  const spec = parseToolchainInput(inputs, log);
  const command = inputs.command ?? defaultCommand(inputs.sourceDir);
  if (!findProgram(command[0], inputs.sourceDir, env))
    throw new InputError(
      "command",
      `program '${command[0]}' was not found ${command[0].includes("/") ? `(or is not executable) relative to ${inputs.sourceDir}` : "on PATH"}; install it or give its full path.`
    );
  return { spec, command };
}

// src/stages/prepare.ts
import { existsSync as existsSync16 } from "node:fs";
import { join as join22 } from "node:path";

// src/emit/target-dirs.ts
import { execFileSync } from "node:child_process";
import { isAbsolute as isAbsolute8, join as join21, resolve as resolve8 } from "node:path";
function cargoTargetDir(cargo, sourceDir, env) {
  try {
    const out = execFileSync(
      cargo,
      ["metadata", "--format-version", "1", "--no-deps", "--offline"],
      {
        cwd: sourceDir,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024
      }
    );
    return JSON.parse(out).target_directory;
  } catch {
    return env.CARGO_TARGET_DIR ? resolve8(sourceDir, env.CARGO_TARGET_DIR) : join21(sourceDir, "target");
  }
}
function xpyBuildDir(sourceDir, configToml) {
  const build = parse(configToml).build;
  const dir = build?.["build-dir"];
  return dir ? isAbsolute8(dir) ? dir : resolve8(sourceDir, dir) : join21(sourceDir, "build");
}

// src/stages/prepare.ts
function templatePath(inputs) {
  if (inputs.configTemplate) return inputs.configTemplate;
  const own = ["bootstrap.toml", "config.toml"].map((f) => join22(inputs.sourceDir, f));
  return own.find((p) => existsSync16(p)) ?? null;
}
function xpyExtra(inputs, toolchain, template) {
  try {
    const xpy = xpyConfig(
      inspectRustTree(inputs.sourceDir),
      toolchain,
      inputs.targets,
      inputs.metadataDir,
      template
    );
    return { extra: xpy.config, warnings: xpy.warnings };
  } catch (e) {
    if (e instanceof XpyConfigError)
      throw new InputError(inputs.toolchain === null ? "source-dir" : "toolchain", e.message);
    throw e;
  }
}
async function prepare(inputs, pre, ctx, nix) {
  const { log, env } = ctx;
  const { spec } = pre;
  const template = templatePath(inputs);
  const parsed = template ? readTemplate(template) : null;
  enter(ctx, "resolving the toolchain");
  const toolchain = await realiseToolchain(
    spec,
    inputs,
    spec.kind === "nix" ? await nix() : env,
    log,
    ctx.signal
  );
  const rustTree = isRustTree(inputs.sourceDir);
  const xpy = rustTree ? xpyExtra(inputs, toolchain, parsed?.table ?? null) : null;
  const configToml = composeConfig({
    template: parsed?.table ?? null,
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
    extra: xpy?.extra,
    inline: inputs.config
  });
  for (const w of [...parsed?.warnings ?? [], ...xpy?.warnings ?? []]) log.warning(w);
  const configPath = writeConfigToml(inputs.metadataDir, configToml);
  const forFlake = specForFlake(spec);
  return {
    spec,
    command: pre.command,
    toolchain,
    planToolchain: {
      rustc: toolchain.rustc,
      cargo: toolchain.cargo,
      // A Nix toolchain's recorded paths fall under its store path, which the flake names with context.
      sysroot: toolchain.sysroot,
      version: toolchain.version,
      ...forFlake ? {
        nix_spec: {
          spec: forFlake.spec,
          file: forFlake.file
        }
      } : {}
    },
    configToml,
    configPath,
    rustTree,
    targetDirs: rustTree ? [xpyBuildDir(inputs.sourceDir, configToml)] : [cargoTargetDir(toolchain.cargo, inputs.sourceDir, env)]
  };
}

// src/stages/publish.ts
import { existsSync as existsSync18 } from "node:fs";
import { join as join25 } from "node:path";

// src/publish/git.ts
import { mkdtempSync as mkdtempSync2, rmSync as rmSync5 } from "node:fs";
import { join as join23 } from "node:path";
var AUTHOR = "rust-bootstrap-nix";
var EMAIL = "rust-bootstrap-nix@users.noreply.github.com";
var DATE = "946684800 +0000";
var REPOSITORY_VARIABLES = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX"
];
var ScratchRepo = class _ScratchRepo {
  constructor(dir, env) {
    this.dir = dir;
    this.env = env;
  }
  dir;
  env;
  static async create(parent, env) {
    const dir = mkdtempSync2(join23(parent, "rbn-publish-"));
    const own = Object.fromEntries(
      Object.entries(env).filter(([k]) => !REPOSITORY_VARIABLES.includes(k))
    );
    const repo = new _ScratchRepo(dir, own);
    await repo.local(["init", "--quiet", "--bare", join23(dir, "repo.git")]);
    return repo;
  }
  dispose() {
    rmSync5(this.dir, { recursive: true, force: true });
  }
  get gitDir() {
    return join23(this.dir, "repo.git");
  }
  /** git on the scratch repository, without the user's or the system's config. */
  async local(args, opts = {}) {
    const r = await run(
      "git",
      [
        "-c",
        "core.autocrlf=false",
        "-c",
        "core.fileMode=true",
        "-c",
        "core.symlinks=true",
        "-c",
        "gc.auto=0",
        ...args
      ],
      {
        env: {
          ...this.env,
          GIT_DIR: this.gitDir,
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_CONFIG_GLOBAL: "/dev/null",
          GIT_TERMINAL_PROMPT: "0",
          ...opts.env
        },
        cwd: this.dir,
        input: opts.input
      }
    );
    if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${tail(r.stderr, 5)}`);
    return r.stdout;
  }
  /** git talking to a remote: the user's config kept, the credentials added, never a prompt. */
  network(args, credentials) {
    return run("git", args, {
      env: { ...this.env, GIT_DIR: this.gitDir, GIT_TERMINAL_PROMPT: "0", ...credentials },
      cwd: this.dir
    });
  }
  /** The tree of every file under `dir` (the flake), its objects written here. */
  async treeOf(dir) {
    const index = { GIT_INDEX_FILE: join23(this.dir, "index"), GIT_WORK_TREE: dir };
    rmSync5(index.GIT_INDEX_FILE, { force: true });
    await this.local(["add", "--all", "--force", "."], { env: index });
    return (await this.local(["write-tree"], { env: index })).trim();
  }
  /** `base` with `files` added (or replaced), at paths relative to its root. */
  async withFiles(base, files) {
    const index = { GIT_INDEX_FILE: join23(this.dir, "index") };
    await this.local(["read-tree", base], { env: index });
    for (const f of files) {
      const blob = (await this.local(["hash-object", "-w", "--stdin"], { input: f.content })).trim();
      await this.local(["update-index", "--add", "--cacheinfo", `100644,${blob},${f.name}`], {
        env: index
      });
    }
    return (await this.local(["write-tree"], { env: index })).trim();
  }
  /** `tree` as a root commit, by the fixed author at the fixed date. */
  async commit(tree, message) {
    const who = { NAME: AUTHOR, EMAIL, DATE };
    const env = Object.fromEntries(
      ["AUTHOR", "COMMITTER"].flatMap(
        (role) => Object.entries(who).map(([k, v]) => [`GIT_${role}_${k}`, v])
      )
    );
    return (await this.local(["commit-tree", "--no-gpg-sign", tree, "-F", "-"], { input: message, env })).trim();
  }
  /** The remote's branches (names without refs/heads/) and their commits. */
  async branches(remote, credentials) {
    const r = await this.network(["ls-remote", "--heads", remote.url], credentials);
    if (r.code !== 0) throw new RemoteError("list the branches of", remote, r.stderr);
    const out = /* @__PURE__ */ new Map();
    for (const line of r.stdout.split("\n")) {
      const m = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
      if (m) out.set(m[2], m[1]);
    }
    return out;
  }
  /** The flake's tree in a branch of the remote (fetched here): its root without `extraNames`. */
  async remoteFlakeTree(remote, branch, extraNames, credentials) {
    const ref = `refs/rbn/${branch}`;
    const r = await this.network(
      ["fetch", "--quiet", "--no-tags", remote.url, `+refs/heads/${branch}:${ref}`],
      credentials
    );
    if (r.code !== 0) throw new RemoteError(`fetch ${branch} from`, remote, r.stderr);
    const entries = (await this.local(["ls-tree", ref])).split("\n").filter((l) => l && !extraNames.includes(l.slice(l.indexOf("	") + 1)));
    return (await this.local(["mktree"], { input: `${entries.join("\n")}
` })).trim();
  }
  /** Creates `branch` at `commit` on the remote, only if it does not exist yet. */
  async pushNew(remote, commit, branch, credentials) {
    const ref = `refs/heads/${branch}`;
    const r = await this.network(
      ["push", "--porcelain", `--force-with-lease=${ref}:`, remote.url, `${commit}:${ref}`],
      credentials
    );
    const status = r.stdout.split("\n").find((l) => l.endsWith(ref) || l.includes(`:${ref}	`));
    const line = status ?? "";
    if (r.code === 0 && /^[ *+=]/.test(line)) return { kind: "pushed" };
    if (/^!.*\[rejected\]/.test(line) && /stale info|fetch first|already exists|non-fast-forward/.test(line))
      return { kind: "taken" };
    const remoteRejected = /\[remote rejected\] \((.*)\)/.exec(line);
    if (remoteRejected) return { kind: "rejected", reason: remoteRejected[1] };
    const rejected = /\[rejected\] \((.*)\)/.exec(line);
    if (rejected) return { kind: "rejected", reason: rejected[1] };
    return { kind: "failed", stderr: r.stderr };
  }
};
var RemoteError = class extends Error {
  constructor(action, remote, stderr) {
    super(`could not ${action} ${remote.shown}: ${tail(stderr, 5) || "git gave no reason"}`);
    this.action = action;
    this.remote = remote;
    this.stderr = stderr;
  }
  action;
  remote;
  stderr;
};

// src/publish/portable.ts
import { readdirSync as readdirSync10, readFileSync as readFileSync20 } from "node:fs";
import { join as join24, relative as relative5 } from "node:path";
function originalUrl(o) {
  const query = (keys) => {
    const q = keys.filter((k) => o[k] !== void 0).map((k) => `${k}=${String(o[k])}`);
    return q.length ? `?${q.join("&")}` : "";
  };
  switch (o.type) {
    case "github":
    case "gitlab":
    case "sourcehut": {
      const ref = o.rev ?? o.ref;
      return `${o.type}:${o.owner}/${o.repo}${ref ? `/${ref}` : ""}${query(["dir", "host"])}`;
    }
    case "path":
      return `path:${o.path}`;
    case "git":
    case "tarball":
    case "file":
      return `${o.type === "git" ? "git+" : ""}${o.url}${query(["ref", "rev", "dir"])}`;
    case "indirect":
      return `flake:${o.id}${o.ref ? `/${o.ref}` : ""}`;
    default:
      throw new Error(
        `nix/flake.lock has an input of type '${String(o.type)}' a published flake cannot name`
      );
  }
}
function inputsOfLock(lock) {
  const root = lock.nodes[lock.root];
  const out = {};
  for (const [name, ref] of Object.entries(root.inputs ?? {})) {
    if (typeof ref !== "string") continue;
    const node = lock.nodes[ref];
    const follows = {};
    for (const [i, target] of Object.entries(node.inputs ?? {}))
      if (Array.isArray(target)) follows[i] = target.join("/");
    out[name] = { url: originalUrl(node.original ?? {}), follows };
  }
  return out;
}
function filesUnder(dir) {
  return readdirSync10(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative5(dir, join24(e.parentPath, e.name))).sort();
}
function portableFiles(plan, system, nixFlakeDir2) {
  if (!plan.toolchain.nix_spec) return [];
  const lockText = readFileSync20(join24(nixFlakeDir2, "flake.lock"), "utf8");
  const inputs = inputsOfLock(JSON.parse(lockText));
  return [
    { name: "flake.nix", content: vendoredFlakeNix(system, { dir: ONLINE_INPUT, inputs }) },
    { name: "flake.lock", content: lockText },
    ...filesUnder(nixFlakeDir2).map((f) => ({
      name: `${ONLINE_INPUT}/${f}`,
      content: readFileSync20(join24(nixFlakeDir2, f))
    }))
  ];
}

// src/publish/remote.ts
import { isAbsolute as isAbsolute9, resolve as resolve9 } from "node:path";
function isUrlLike(raw) {
  return raw.includes("/") || raw.includes(":") || raw === "." || raw === "..";
}
function withoutUserinfo(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}
async function resolveRemote(raw, sourceDir, base, env) {
  let url = raw;
  if (!isUrlLike(raw)) {
    const r = await run("git", ["-C", sourceDir, "remote", "get-url", "--push", raw], {
      env: { ...env, GIT_TERMINAL_PROMPT: "0" }
    }).catch((e) => ({ code: 1, stdout: "", stderr: e.message }));
    if (r.code !== 0)
      return {
        problem: `'${raw}' is not a remote of the checkout in ${sourceDir} (${r.stderr.trim().split("\n")[0] || "git found none"})`
      };
    url = r.stdout.trim();
  } else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^[^/]+@[^/:]+:/.test(raw)) {
    if (!isAbsolute9(raw)) url = resolve9(base, raw);
  }
  return { url, shown: withoutUserinfo(url) };
}
function githubRepo(url) {
  const m = /^(?:https?:\/\/(?:[^/@]*@)?|ssh:\/\/git@|git@|git:\/\/)github\.com[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
    url
  );
  return m ? `${m[1]}/${m[2]}` : null;
}
function flakeRefOf(remote, branch) {
  const gh = githubRepo(remote.url);
  if (gh) return `github:${gh}/${branch}`;
  const url = remote.shown;
  let gitUrl;
  if (url.startsWith("/")) gitUrl = `file://${url}`;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) gitUrl = url;
  else {
    const m = /^([^@/]+@)?([^:/]+):(.*)$/.exec(url);
    gitUrl = m ? `ssh://${m[1] ?? ""}${m[2]}/${m[3].replace(/^\//, "")}` : url;
  }
  return `git+${gitUrl}?ref=${branch}`;
}
function credentialEnv(url, token, env) {
  const origin = /^(https?:\/\/[^/]+\/)/i.exec(withoutUserinfo(url))?.[1];
  if (!token || !origin) return { env: {}, secret: null };
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  const n = Number(env.GIT_CONFIG_COUNT ?? "0") || 0;
  return {
    env: {
      GIT_CONFIG_COUNT: String(n + 1),
      [`GIT_CONFIG_KEY_${n}`]: `http.${origin}.extraheader`,
      [`GIT_CONFIG_VALUE_${n}`]: `AUTHORIZATION: basic ${basic}`
    },
    secret: basic
  };
}

// src/publish/snapshot-files.ts
import { existsSync as existsSync17, readFileSync as readFileSync21 } from "node:fs";
var COPIED = ["config", "plan", "records"];
var EXTRA_NAMES = [
  ...COPIED.map((f) => METADATA_FILES[f]),
  "README.md"
];
function commitMessage(info) {
  return [
    `${info.component} ${info.system} phase ${info.phase}: ${info.plan.steps.length} steps`,
    "",
    `Source commit: ${info.sourceCommit ?? "unknown"}`,
    `Toolchain: rustc ${info.plan.toolchain.version}`,
    "Published by rust-bootstrap-nix.",
    ""
  ].join("\n");
}
function readme(info) {
  const steps = info.plan.steps;
  const example = steps.find((s) => s.type !== "link") ?? steps[0];
  const flags = info.sandboxPaths.length ? `--option extra-sandbox-paths '${info.sandboxPaths.join(" ")}' ` : "";
  return `# ${info.component} (${info.system}, phase ${info.phase})

One recorded build as a Nix flake, published by rust-bootstrap-nix: every
compiler invocation of the build is a derivation of its own (${steps.length} steps).

| | |
|---|---|
| source commit | \`${info.sourceCommit ?? "unknown"}\` |
| toolchain | rustc ${info.plan.toolchain.version} |
| system | \`${info.system}\` |
| phase | ${info.phase} (the bootstrap stage the build reached; 0 for cargo) |

Build everything (the build's final artifacts, at the paths the build left them):

\`\`\`sh
nix build ${flags}'${info.flakeRef}'
\`\`\`
${example ? `
Build one step (its attribute is its id in \`plan.json\`):

\`\`\`sh
nix build ${flags}'${info.flakeRef}#${example.id}'
\`\`\`
` : ""}
${flags ? `
Its steps run the host's shell, coreutils and C toolchain (\`toolchain: system\`): the
same programs at the same paths, bound into Nix's sandbox by \`extra-sandbox-paths\`
(a trusted Nix user may set it).
` : ""}
\`config.toml\` is the bootstrap config the build used, \`plan.json\` the steps as
a graph, \`invocations.jsonl\` every recorded invocation.
`;
}
function snapshotFiles(metadataDir, info) {
  const files = COPIED.filter((f) => existsSync17(metadataPath(metadataDir, f))).map(
    (f) => ({ name: METADATA_FILES[f], content: readFileSync21(metadataPath(metadataDir, f)) })
  );
  return [...files, { name: "README.md", content: readme(info) }];
}

// src/stages/publish.ts
var ATTEMPTS = 5;
var FORBIDDEN = /\b403\b|permission to .* denied|write access to repository not granted|not allowed to push/i;
var NO_CREDENTIALS = /could not read (username|password)|authentication failed|\b401\b|terminal prompts disabled/i;
async function publishTarget(inputs, ctx) {
  const base = ctx.env.GITHUB_WORKSPACE || process.cwd();
  const remote = await resolveRemote(inputs.publishRemote, inputs.sourceDir, base, ctx.env);
  if ("problem" in remote)
    throw new InputError(
      "publish-remote",
      `${remote.problem}; give the name of one of its remotes, or a git URL or path.`
    );
  return { remote };
}
async function sourceCommitOf(sourceDir, env) {
  const r = await run("git", ["-C", sourceDir, "rev-parse", "--verify", "--quiet", "HEAD"], {
    env: { ...env, GIT_TERMINAL_PROMPT: "0" }
  }).catch(() => null);
  const sha = r?.code === 0 ? r.stdout.trim() : "";
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : env.GITHUB_SHA || null;
}
function latticePoint(inputs, source, system) {
  const component = inputs.publishComponent ?? defaultComponent(source.plan);
  const problem = componentProblem(component);
  if (problem)
    throw new Error(
      `Input 'publish-component': '${component}' ${problem}; give a name such as logscan-rust-1.95.0.`
    );
  const point = { component, arch: archOf(system), phase: phaseOf(source.plan) };
  const sample = renderBranch(inputs.publishBranch, point, 1);
  const bad = refNameProblem(sample);
  if (bad)
    throw new Error(
      `Input 'publish-branch': it gives the branch '${sample}', which ${bad}; change the template or publish-component.`
    );
  return point;
}
function refusal(where, what, stderr) {
  const said = stderr.trim().split("\n").filter(Boolean).slice(-3).join(" / ") || "no reason given";
  if (FORBIDDEN.test(stderr))
    return new Error(
      `Input 'github-token': it may not push to ${where.shown} (${said}); give the job \`permissions: contents: write\`, or a token that may write to the repository.`
    );
  if (NO_CREDENTIALS.test(stderr))
    return new Error(
      `Input 'github-token': git has no credentials to ${what} ${where.shown} (${said}); give a token that may write to the repository (the job's own with \`permissions: contents: write\`).`
    );
  return new Error(
    `Input 'publish-remote': could not ${what} ${where.shown} (${said}); give a remote (or git URL) that exists and can be reached.`
  );
}
function pushFailure(remote, branch, outcome) {
  if (outcome.kind === "rejected")
    return new Error(
      `Input 'publish-branch': ${remote.shown} refused the branch ${branch} (${outcome.reason}); allow pushes to these branches there (branch protection, rulesets, hooks), or give publish-branch a template it accepts, or publish-remote another remote.`
    );
  return refusal(remote, "push to", outcome.kind === "failed" ? outcome.stderr : "");
}
async function publishFlake(inputs, target, source, ctx) {
  enter(ctx, "publishing the flake");
  const { remote } = target;
  const system = flakeSystem(source.flakeDir);
  const point = latticePoint(inputs, source, system);
  const credentials = credentialEnv(remote.url, inputs.githubToken, ctx.env);
  if (credentials.secret) ctx.redactor.learn(credentials.secret);
  const withheld = withheldFromBuild(...secretInputsOf(inputs));
  const gitEnv = Object.fromEntries(
    Object.entries(ctx.env).filter(
      ([k, v]) => !k.startsWith("INPUT_") && !withheld.includes(v ?? "")
    )
  );
  const repo = await ScratchRepo.create(runnerTemp(ctx.env), gitEnv);
  try {
    const flakeTree = await repo.withFiles(
      await repo.treeOf(source.flakeDir),
      portableFiles(source.plan, system, source.nixFlakeDir)
    );
    const sourceCommit = await sourceCommitOf(source.plan.source_dir, gitEnv);
    const info = (branch) => ({
      component: point.component,
      system,
      phase: point.phase,
      sourceCommit,
      plan: source.plan,
      branch,
      flakeRef: flakeRefOf(remote, branch),
      sandboxPaths: source.plan.toolchain.nix_spec ? [] : hostSandboxPaths(null)
    });
    const found = (branch, commit, pushed) => ({
      branch,
      commit,
      flakeRef: flakeRefOf(remote, branch),
      pushed,
      remote: remote.shown
    });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const branches = await repo.branches(remote, credentials.env);
      const newest = stepsOf(inputs.publishBranch, point, [...branches.keys()]).at(-1) ?? 0;
      if (newest > 0) {
        const branch2 = renderBranch(inputs.publishBranch, point, newest);
        const theirs = await repo.remoteFlakeTree(remote, branch2, EXTRA_NAMES, credentials.env);
        if (theirs === flakeTree) {
          ctx.log.info(`${branch2} on ${remote.shown} already holds this flake: nothing to push.`);
          return found(branch2, branches.get(branch2), false);
        }
      }
      const branch = renderBranch(inputs.publishBranch, point, newest + 1);
      const files = snapshotFiles(inputs.metadataDir, info(branch)).map(
        (f) => typeof f.content === "string" ? { ...f, content: ctx.redactor.scrub(f.content) } : f
      );
      const tree = await repo.withFiles(flakeTree, files);
      const commit = await repo.commit(tree, ctx.redactor.scrub(commitMessage(info(branch))));
      const outcome = await repo.pushNew(remote, commit, branch, credentials.env);
      if (outcome.kind === "pushed") {
        ctx.log.info(
          `Published ${branch} (${commit.slice(0, 12)}) to ${remote.shown}: nix build '${flakeRefOf(remote, branch)}'`
        );
        return found(branch, commit, true);
      }
      if (outcome.kind !== "taken" && !(await repo.branches(remote, credentials.env)).has(branch))
        throw pushFailure(remote, branch, outcome);
      ctx.log.info(`${branch} was published by someone else meanwhile; looking again.`);
    }
    throw new Error(
      `Input 'publish-branch': every step tried on ${remote.shown} was taken by another publisher meanwhile (${ATTEMPTS} attempts); run again, or give concurrent publishers templates of their own.`
    );
  } catch (e) {
    if (e instanceof RemoteError) throw refusal(remote, e.action, e.stderr);
    throw e;
  } finally {
    repo.dispose();
  }
}
function flakeDirOf(metadataDir) {
  return metadataPath(metadataDir, "flake");
}
async function publishIfBuilt(inputs, target, recorded, built, ctx) {
  if (!built?.ok) {
    ctx.log.info("Not publishing: the build did not succeed.");
    return null;
  }
  const source = { plan: recorded.plan, flakeDir: built.flakeDir, nixFlakeDir: nixFlakeDir() };
  return publishFlake(inputs, target, source, ctx);
}
async function publishEarlier(inputs, earlier, target, ctx) {
  const flakeDir = flakeDirOf(inputs.metadataDir);
  if (!existsSync18(join25(flakeDir, "flake.nix")))
    throw new InputError(
      "metadata-dir",
      `${inputs.metadataDir} holds no flake/flake.nix; run mode 'build' or 'emit-then-build' on it first.`
    );
  const { records, plan } = ctx.redactor.deep({ records: earlier.records, plan: earlier.plan });
  const recorded = recordedEarlier(records, plan, earlier.trust.digest);
  const published = await publishFlake(
    inputs,
    target,
    { plan, flakeDir, nixFlakeDir: nixFlakeDir() },
    ctx
  );
  return { recorded, published };
}

// src/stages/reuse.ts
import { existsSync as existsSync20 } from "node:fs";

// src/plan/saved-plan.ts
import { createHash as createHash10 } from "node:crypto";
import {
  copyFileSync as copyFileSync4,
  existsSync as existsSync19,
  mkdirSync as mkdirSync6,
  readFileSync as readFileSync22,
  renameSync as renameSync5,
  rmSync as rmSync6,
  writeFileSync as writeFileSync6
} from "node:fs";
import { basename as basename10, join as join26 } from "node:path";
var DIR = "rbn-plan";
var INPUTS = "graph-inputs.json";
var LAST_BUILD = "last-build.json";
function readLastBuild(file) {
  if (!existsSync19(file)) return null;
  try {
    const v = JSON.parse(readFileSync22(file, "utf8"));
    const copy = v.toolchainCopy;
    const strings = (xs) => Array.isArray(xs) && xs.every((x) => typeof x === "string");
    if (typeof v.flakeDigest !== "string" || !strings(v.outPaths)) return null;
    if (copy !== null && (typeof copy?.fingerprint !== "string" || typeof copy?.storePath !== "string"))
      return null;
    return { flakeDigest: v.flakeDigest, outPaths: v.outPaths, toolchainCopy: copy ?? null };
  } catch {
    return null;
  }
}
function savedPlanDir(cacheDir) {
  return join26(cacheDir, DIR);
}
var carriedName = (path4) => createHash10("sha256").update(path4).digest("hex").slice(0, 32);
function savePlan(cacheDir, saved, carried) {
  const dir = savedPlanDir(cacheDir);
  const fresh = `${dir}.new`;
  rmSync6(fresh, { recursive: true, force: true });
  mkdirSync6(join26(fresh, "sources"), { recursive: true });
  const { plan } = saved;
  const plain = { ...plan };
  delete plain.reuse;
  writeRecordsAndPlan(
    fresh,
    saved.records.map((r) => {
      const { reused: _, ...rest } = r;
      return rest;
    }),
    plain
  );
  writeFileSync6(join26(fresh, INPUTS), JSON.stringify(saved.inputs));
  if (saved.lastBuild) writeFileSync6(join26(fresh, LAST_BUILD), JSON.stringify(saved.lastBuild));
  for (const step of plan.steps)
    for (const p of step.sources) {
      if (!plan.target_dirs.some((t) => under(p, t))) continue;
      const from = carried(p);
      if (from) copyFileSync4(from, join26(fresh, "sources", carriedName(p)));
    }
  rmSync6(dir, { recursive: true, force: true });
  renameSync5(fresh, dir);
}
function loadPlan(cacheDir) {
  const dir = savedPlanDir(cacheDir);
  if (!existsSync19(join26(dir, INPUTS))) return { missing: "no earlier plan was restored" };
  try {
    const { plan, records } = readRecordsAndPlan(dir);
    const inputs = JSON.parse(readFileSync22(join26(dir, INPUTS), "utf8"));
    if (typeof inputs?.graph !== "object" || typeof inputs?.sources !== "object")
      return { missing: "the earlier plan does not match its schema (graph-inputs.json)" };
    const carried = (path4) => {
      const p = join26(dir, "sources", carriedName(path4));
      return existsSync19(p) ? p : null;
    };
    return { plan, records, inputs, carried, lastBuild: readLastBuild(join26(dir, LAST_BUILD)) };
  } catch (e) {
    if (e instanceof MetadataProblem && e.kind === "schema")
      return { missing: `the earlier plan's ${basename10(e.file)} ${e.what}` };
    return { missing: `the earlier plan could not be read (${e.message})` };
  }
}

// src/stages/reuse.ts
function graphContext(inputs, prepared, env) {
  return {
    sourceDir: inputs.sourceDir,
    command: prepared.command,
    configToml: prepared.configToml,
    toolchain: `${prepared.toolchain.toolchain}
${prepared.toolchain.rustc}
${prepared.toolchain.verbose}`,
    env
  };
}
function some(items, n = 3) {
  const shown2 = items.slice(0, n).join(", ");
  return items.length > n ? `${shown2} and ${items.length - n} more` : shown2;
}
function stepsToRebuild(plan, changed) {
  const changedSet = new Set(changed);
  const rebuilt = new Set(
    plan.steps.filter((s) => s.sources.some((p) => changedSet.has(p))).map((s) => s.id)
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of plan.steps)
      if (!rebuilt.has(s.id) && s.deps.some((d) => rebuilt.has(d))) {
        rebuilt.add(s.id);
        grew = true;
      }
  }
  return plan.steps.filter((s) => rebuilt.has(s.id)).map((s) => s.id);
}
function reusePlan(inputs, prepared, ctx) {
  enter(ctx, "checking the earlier plan");
  const saved = loadPlan(nixCacheDir(ctx.env));
  if ("missing" in saved) return { declined: saved.missing };
  if (saved.plan.source_dir !== inputs.sourceDir)
    return {
      declined: `the earlier plan was recorded in ${saved.plan.source_dir}, not ${inputs.sourceDir}`
    };
  const gate = sourceGateFor({ ...inputs, mode: "build" }, ctx.env, () => null);
  const refused = refusalOf(saved.plan, saved.records, gate, ctx.env);
  if (refused)
    return {
      declined: `the earlier plan is refused: its ${refused.entry} (${refused.why})`
    };
  const now = graphInputsOf(saved.plan, graphContext(inputs, prepared, ctx.env));
  const changes = compareGraphInputs(saved.inputs, now);
  if (changes.graph.length > 0)
    return { declined: `what decides the build graph changed: ${some(changes.graph)}` };
  if (changes.gone.length > 0)
    return { declined: `source files the plan reads are gone: ${some(changes.gone)}` };
  const plan = {
    ...saved.plan,
    reuse: {
      changed_sources: changes.sources,
      rebuilt_steps: stepsToRebuild(saved.plan, changes.sources)
    }
  };
  const records = saved.records.map((r) => ({ ...r, reused: true }));
  writeRecordsAndPlan(inputs.metadataDir, records, plan);
  ctx.log.info(
    `Reusing the earlier plan (${plan.steps.length} steps; the build command does not run): ${changes.sources.length === 0 ? "no source file changed" : `${changes.sources.length} source file(s) changed (${some(changes.sources)}), ${plan.reuse.rebuilt_steps.length} step(s) to build again`}.`
  );
  return {
    recorded: recordedEarlier(records, plan, metadataDigest(inputs.metadataDir)),
    kept: { inputs: now, carried: saved.carried, lastBuild: saved.lastBuild }
  };
}
async function reuseEarlierPlan(inputs, prepared, restored, ctx, nix, journal) {
  if (!inputs.reusePlan) return null;
  const taken = reusePlan(inputs, prepared, ctx);
  if ("declined" in taken)
    return fullEmit(journal.note("reuse", { kind: "declined", reason: taken.declined }), ctx);
  const recorded = journal.note("reused", taken.recorded);
  const cached = { ...restored, sccache: null };
  const built = await buildWithNix(inputs, recorded, cached, ctx, await nix(), taken.kept);
  if (!built.ok) {
    const reason = `the earlier plan's build failed under Nix (${errorLine(built)}); a step may read a file the plan does not list, or no longer compile`;
    return fullEmit(journal.note("reuse", { kind: "fallback", reason }), ctx);
  }
  journal.note("built", built);
  journal.note("reuse", { kind: "reused" });
  keepPlan(recorded, taken.kept, built.lastBuild, ctx);
  return recorded;
}
function fullEmit(why, ctx) {
  if (why.kind !== "reused")
    ctx.log.info(
      `${why.kind === "fallback" ? "Falling back to" : "Running"} a full emit: ${why.reason}.`
    );
  return null;
}
function errorLine(built) {
  const f = built.failedStep;
  if (!f) return (built.failure ?? "no message").split("\n")[0];
  return f.error ? `${f.label}: ${f.error}` : f.label;
}
async function buildAndKeepPlan(inputs, prepared, recorded, cached, ctx, nixEnv, journal) {
  const kept = {
    inputs: graphInputsOf(recorded.plan, graphContext(inputs, prepared, ctx.env)),
    carried: null,
    lastBuild: null
  };
  const built = journal.note(
    "built",
    await buildWithNix(inputs, recorded, cached, ctx, nixEnv, kept)
  );
  if (built.ok) keepPlan(recorded, kept, built.lastBuild, ctx);
  return built;
}
function keepPlan(recorded, kept, lastBuild, ctx) {
  enter(ctx, "keeping the plan for the next run");
  try {
    const stamp = kept.carried ?? ((path4) => existsSync20(path4) ? path4 : null);
    savePlan(
      nixCacheDir(ctx.env),
      { plan: recorded.plan, records: recorded.records, inputs: kept.inputs, lastBuild },
      stamp
    );
  } catch (e) {
    ctx.log.warning(
      `The plan was not kept for the next run, which will run the build again: ${e.message}`
    );
  }
}

// src/report/cache-sections.ts
var HIT_TEXT = {
  true: "restored (exact key)",
  partial: "restored from an older key (partial)",
  false: "nothing restored"
};
function cacheSection(hit) {
  return { title: "Caches", body: `Actions cache: **${HIT_TEXT[hit]}** (\`cache-hit: ${hit}\`).` };
}
function sccacheSection(s) {
  const rate = s.cacheable > 0 ? `${Math.round(100 * s.hits / s.cacheable)}%` : "n/a";
  return [
    "| | |",
    "|---|---:|",
    `| compile requests | ${s.compileRequests} |`,
    `| hits | ${s.hits} |`,
    `| misses | ${s.misses} |`,
    `| hit rate (cacheable compiles) | ${rate} |`,
    `| not cacheable (bins, proc-macros, build scripts, probes) | ${s.notCacheable} |`
  ].join("\n");
}

// src/report/critical-path.ts
function criticalPath(plan) {
  const finish2 = /* @__PURE__ */ new Map();
  const via = /* @__PURE__ */ new Map();
  for (const step of topologicalOrder(plan.steps)) {
    let best = 0;
    let from;
    for (const dep of step.deps) {
      const length = finish2.get(dep);
      if (length !== void 0 && (from === void 0 || length > best)) {
        best = length;
        from = dep;
      }
    }
    if (from !== void 0) via.set(step.id, from);
    finish2.set(step.id, best + weight(step));
  }
  let end;
  for (const { id } of plan.steps) {
    if (end === void 0 || finish2.get(id) > finish2.get(end)) end = id;
  }
  if (end === void 0) return { steps: [], total_ms: 0 };
  const steps = [];
  for (let id = end; id !== void 0; id = via.get(id)) steps.push(id);
  return { steps: steps.reverse(), total_ms: finish2.get(end) };
}
function weight(step) {
  return Number.isFinite(step.duration_ms) && step.duration_ms > 0 ? step.duration_ms : 0;
}
function topologicalOrder(steps) {
  const ids = new Set(steps.map((s) => s.id));
  const pending = /* @__PURE__ */ new Map();
  const dependents = /* @__PURE__ */ new Map();
  for (const step of steps) {
    if (step.deps.includes(step.id)) throw new Error(`plan step ${step.id} depends on itself`);
    const known = new Set(step.deps.filter((d) => ids.has(d)));
    pending.set(step.id, known.size);
    for (const dep of known) {
      const list2 = dependents.get(dep);
      if (list2) list2.push(step);
      else dependents.set(dep, [step]);
    }
  }
  const ready = steps.filter((s) => pending.get(s.id) === 0);
  const order = [];
  for (let i = 0; i < ready.length; i++) {
    const step = ready[i];
    order.push(step);
    for (const next of dependents.get(step.id) ?? []) {
      const left = pending.get(next.id) - 1;
      pending.set(next.id, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < steps.length) {
    const stuck = steps.filter((s) => pending.get(s.id) > 0).map((s) => s.id);
    throw new Error(`plan has a dependency cycle among steps: ${stuck.slice(0, 10).join(", ")}`);
  }
  return order;
}

// src/report/mermaid.ts
var DEFAULT_MAX_NODES = 40;
var DEFAULT_MAX_EDGES = 120;
var MAX_LABEL_CHARS = 60;
function crateGraph(plan, options = {}) {
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const maxEdges = options.maxEdges ?? DEFAULT_MAX_EDGES;
  const path4 = criticalPath(plan).steps;
  const crateOf = new Map(plan.steps.map((s) => [s.id, s.crate]));
  const crates = /* @__PURE__ */ new Map();
  for (const step of plan.steps) {
    const crate = crates.get(step.crate) ?? { name: step.crate, steps: 0, ms: 0, critical: false };
    crate.steps += 1;
    crate.ms += Math.max(0, step.duration_ms || 0);
    crates.set(step.crate, crate);
  }
  const pathCrates = path4.map((id) => crateOf.get(id));
  for (const name of pathCrates) crates.get(name).critical = true;
  const allEdges = /* @__PURE__ */ new Map();
  for (const step of plan.steps) {
    for (const dep of step.deps) {
      const from = crateOf.get(dep);
      if (from === void 0 || from === step.crate) continue;
      allEdges.set(`${from}\0${step.crate}`, { from, to: step.crate });
    }
  }
  const criticalEdges = /* @__PURE__ */ new Set();
  for (let i = 1; i < pathCrates.length; i++) {
    if (pathCrates[i - 1] !== pathCrates[i])
      criticalEdges.add(`${pathCrates[i - 1]}\0${pathCrates[i]}`);
  }
  const ranked = [...crates.values()].sort(
    (a, b) => Number(b.critical) - Number(a.critical) || b.ms - a.ms || compare(a.name, b.name)
  );
  const kept = ranked.slice(0, Math.max(0, maxNodes));
  const keptNames = new Set(kept.map((c) => c.name));
  const elidedCrates = ranked.slice(kept.length).map((c) => c.name).sort(compare);
  const candidates = [...allEdges.entries()].filter(([, e]) => keptNames.has(e.from) && keptNames.has(e.to)).sort(
    ([ka, a], [kb, b]) => Number(criticalEdges.has(kb)) - Number(criticalEdges.has(ka)) || crates.get(b.from).ms + crates.get(b.to).ms - crates.get(a.from).ms - crates.get(a.to).ms || compare(ka, kb)
  );
  const edges = candidates.slice(0, Math.max(0, maxEdges)).sort(([ka], [kb]) => compare(ka, kb));
  const nodes = [...kept].sort((a, b) => compare(a.name, b.name));
  const ids = new Map(nodes.map((c, i) => [c.name, `c${i}`]));
  const lines = ["graph LR"];
  if (elidedCrates.length > 0) lines.push(`  %% ${elidedCrates.length} crates elided`);
  for (const crate of nodes) {
    const label = `${mermaidText(truncate(crate.name || "(unnamed)"))}<br/>${crate.steps} ${crate.steps === 1 ? "step" : "steps"}, ${seconds(crate.ms)}`;
    lines.push(`  ${ids.get(crate.name)}["${label}"]`);
  }
  const criticalLinks = [];
  edges.forEach(([key, e], index) => {
    lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
    if (criticalEdges.has(key)) criticalLinks.push(index);
  });
  const criticalNodes = nodes.filter((c) => c.critical).map((c) => ids.get(c.name));
  if (criticalNodes.length > 0) {
    lines.push("  classDef critical stroke:#d73a49,stroke-width:3px");
    lines.push(`  class ${criticalNodes.join(",")} critical`);
  }
  if (criticalLinks.length > 0) {
    lines.push(`  linkStyle ${criticalLinks.join(",")} stroke:#d73a49,stroke-width:3px`);
  }
  return {
    text: `${lines.join("\n")}
`,
    nodes: nodes.length,
    edges: edges.length,
    elidedCrates,
    elidedEdges: allEdges.size - edges.length
  };
}
function mermaidBlock(graph) {
  const block = `\`\`\`mermaid
${graph.text}\`\`\`
`;
  if (graph.elidedCrates.length === 0 && graph.elidedEdges === 0) return block;
  const crates = graph.nodes + graph.elidedCrates.length;
  const edges = graph.edges + graph.elidedEdges;
  const names = graph.elidedCrates.slice(0, 20).map((n) => `\`${n.replace(/[^\w.-]/g, "?")}\``);
  if (graph.elidedCrates.length > names.length) names.push("\u2026");
  const notDrawn = names.length > 0 ? ` Not drawn: ${names.join(", ")}.` : "";
  return `${block}
_Showing ${graph.nodes} of ${crates} crates and ${graph.edges} of ${edges} edges, capped so that the graph renders.${notDrawn}_
`;
}
function mermaidText(text) {
  let out = "";
  for (const ch of text) out += /^[A-Za-z0-9 _.,:/@+-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}
function truncate(name) {
  const chars = [...name];
  return chars.length <= MAX_LABEL_CHARS ? name : `${chars.slice(0, MAX_LABEL_CHARS - 1).join("")}\u2026`;
}
function seconds(ms) {
  return ms >= 1e4 ? `${Math.round(ms / 1e3)} s` : `${(ms / 1e3).toFixed(1)} s`;
}
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/report/summary.ts
function formatMs(ms) {
  if (ms < 1e3) return `${ms} ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)} s`;
  return `${Math.floor(ms / 6e4)} min ${Math.round(ms % 6e4 / 1e3)} s`;
}
function cell(text) {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ").replace(/</g, "&lt;");
}
function stepsTable(steps) {
  const rows = steps.map(
    (s) => `| ${cell(s.crate)} | ${s.kind} | ${formatMs(s.duration_ms)} | \`${cell(s.id)}\` |`
  );
  return ["| crate | kind | duration | step |", "|---|---|---:|---|", ...rows].join("\n");
}
function stageTable(steps) {
  const stages = [...new Set(steps.map((x) => x.stage ?? null))].sort(
    (a, b) => (a ?? -1) - (b ?? -1)
  );
  const rows = stages.map((st) => {
    const of = steps.filter((x) => (x.stage ?? null) === st);
    const n = (t) => of.filter((x) => x.type === t).length;
    const name = st === null ? "bootstrap itself (and unstaged)" : `stage ${st}`;
    return `| ${name} | ${n("rust_compiler_invocation")} | ${n("build_script_run")} | ${n("link")} | ${of.filter((x) => x.type === "link").reduce((t, x) => t + (x.files?.length ?? 0), 0)} |`;
  });
  return [
    "| stage | compiles | build-script runs | link steps (bootstrap's own) | files placed |",
    "|---|---:|---:|---:|---:|",
    ...rows
  ].join("\n");
}
function renderCancelled(mode, c, recorded) {
  const out = [
    `## rust-bootstrap-nix: cancelled (${mode})`,
    "",
    `> **Cancelled** by ${c.signal} while ${cell(c.stage)}.`,
    "",
    "| | |",
    "|---|---|",
    `| cleaned up | ${cell(c.cleaned.length ? c.cleaned.join("; ") : "nothing was left to undo")} |`
  ];
  if (recorded !== null)
    out.push(
      `| invocations recorded | ${recorded} (invocations.jsonl and plan.json are complete) |`
    );
  out.push("");
  return out.join("\n");
}
function renderSummary(s) {
  const steps = s.plan.steps;
  const probes = s.records.filter((r) => r.probe).length;
  const cargoCalls = s.records.filter((r) => r.type === "cargo_invocation").length;
  const compiles = steps.filter((x) => x.type === "rust_compiler_invocation").length;
  const runs = steps.filter((x) => x.type === "build_script_run").length;
  const links = steps.filter((x) => x.type === "link").length;
  const failed = steps.filter((x) => x.exit_code !== 0);
  const cpu = steps.reduce((t, x) => t + x.duration_ms, 0);
  const out = [];
  out.push(`## rust-bootstrap-nix: ${s.failure ? "failed" : "succeeded"} (${s.mode})`);
  out.push("");
  if (s.failure) out.push(`> **Error:** ${cell(s.failure)}`, "");
  out.push("| | |", "|---|---:|");
  const reused = s.plan.reuse !== void 0;
  out.push(
    `| invocations ${reused ? "carried over from the earlier emit" : "recorded"} | ${s.records.length} |`
  );
  out.push(
    `| plan steps | ${steps.length} (${compiles} compiles, ${runs} build-script runs, ${links} links) |`
  );
  out.push(`| probes | ${probes} |`);
  out.push(`| cargo calls | ${cargoCalls} |`);
  out.push(`| final artifacts | ${s.plan.artifacts.length} |`);
  out.push(`| build wall time | ${reused ? "not run (plan reused)" : formatMs(s.emitMs)} |`);
  out.push(`| compile time, summed | ${formatMs(cpu)} |`);
  out.push("");
  if (failed.length > 0) {
    out.push("### Failures", "", stepsTable(failed), "");
  }
  if (steps.some((x) => typeof x.stage === "number"))
    out.push("### Per stage", "", stageTable(steps), "");
  const slowest = [...steps].sort((a, b) => b.duration_ms - a.duration_ms).slice(0, 10);
  if (slowest.length > 0) out.push("### Slowest steps", "", stepsTable(slowest), "");
  for (const sec of s.sections) out.push(`### ${sec.title}`, "", sec.body, "");
  if (steps.length > 0) {
    out.push("<details><summary>All steps</summary>", "", stepsTable(steps), "", "</details>", "");
  }
  return out.join("\n");
}
function renderStoppedSummary(mode, stage, message) {
  return [
    `## rust-bootstrap-nix: failed (${mode})`,
    "",
    `> **Error** (${cell(stage)}): ${cell(message)}`,
    ""
  ].join("\n");
}

// src/report/sections.ts
var OPEN_ROWS = 15;
function criticalPathSection(plan) {
  const path4 = criticalPath(plan);
  if (path4.steps.length === 0) return { title: "Critical path", body: "No steps." };
  const byId2 = new Map(plan.steps.map((s) => [s.id, s]));
  const summed = plan.steps.reduce((t, s) => t + Math.max(0, s.duration_ms || 0), 0);
  const rows = path4.steps.map((id, i) => {
    const s = byId2.get(id);
    return `| ${i + 1} | ${cell(s.crate)} | ${s.kind} | ${formatMs(s.duration_ms)} | \`${cell(s.id)}\` |`;
  });
  const table = ["| # | crate | kind | duration | step |", "|---:|---|---|---:|---|", ...rows].join(
    "\n"
  );
  const lead = `No schedule finishes the build faster than this chain of ${path4.steps.length} ${path4.steps.length === 1 ? "step" : "steps"}: **${formatMs(path4.total_ms)}**, against ${formatMs(summed)} for all ${plan.steps.length} steps one after another.`;
  const body = rows.length > OPEN_ROWS ? `${lead}

<details><summary>The ${rows.length} steps</summary>

${table}

</details>` : `${lead}

${table}`;
  return { title: "Critical path", body };
}
function crateGraphSection(plan, options = {}) {
  const graph = crateGraph(plan, options);
  const legend = "One node per crate, an arrow from each crate to the crates built from it; the critical path is in red.";
  return { title: "Crate graph", body: `${legend}

${mermaidBlock(graph).trimEnd()}` };
}

// src/pipeline/outcome.ts
function outputsOf(inputs, r) {
  const out = { "metadata-dir": inputs.metadataDir };
  if (r.prepared)
    Object.assign(out, {
      "config-toml": r.prepared.configPath,
      rustc: r.prepared.toolchain.rustc,
      cargo: r.prepared.toolchain.cargo,
      toolchain: r.prepared.toolchain.toolchain
    });
  if (r.cached) out["cache-hit"] = r.cached.hit;
  if (r.recorded) {
    Object.assign(out, {
      invocations: String(r.recorded.records.length),
      steps: String(r.recorded.plan.steps.length),
      plan: metadataPath(inputs.metadataDir, "plan"),
      "plan-digest": r.recorded.digest
    });
    const stats = r.recorded.sccacheStats;
    if (stats)
      Object.assign(out, {
        "sccache-hits": String(stats.hits),
        "sccache-misses": String(stats.misses)
      });
  }
  if (r.built)
    Object.assign(out, { flake: r.built.flakeDir, "out-paths": r.built.outPaths.join(" ") });
  if (r.published)
    Object.assign(out, {
      "published-branch": r.published.branch,
      "published-commit": r.published.commit,
      "flake-ref": r.published.flakeRef
    });
  if (r.built?.cacheUse)
    Object.assign(out, {
      substituted: String(r.built.substituted.length),
      pushed: String(r.built.cacheUse.pushed ?? 0)
    });
  return out;
}
function nixBuildSection(b) {
  const body = [
    "| | |",
    "|---|---:|",
    `| steps built | ${b.built.length} |`,
    ...b.once ? [`| compiles taken from the recording (built once) | ${b.once.taken.length} |`] : [],
    `| steps substituted from a binary cache | ${b.substituted.length} |`,
    `| steps reused from the store | ${b.reused - b.substituted.length} |`,
    `| nix build time | ${formatMs(b.ms)} |`,
    `| result | \`${b.outPaths.join(" ") || "(none)"}\` |`
  ].join("\n");
  return { title: "Nix build", body: b.once ? `${body}

${onceNote(b.once)}` : body };
}
function onceNote(once) {
  const lines = [];
  if (once.runsDiffering.length)
    lines.push(
      `Build scripts whose run under Nix left other files than the recorded run (their compiles were built by Nix): ${once.runsDiffering.slice(0, 10).map((r) => `\`${r.id}\` (${r.reason})`).join(
        ", "
      )}${once.runsDiffering.length > 10 ? ` and ${once.runsDiffering.length - 10} more` : ""}.`
    );
  const own = once.notTaken.filter((n) => !n.reason.startsWith("it reads "));
  if (own.length)
    lines.push(
      `Compiles built by Nix because their recorded outputs could not stand for the step's: ${own.slice(0, 10).map((n) => `\`${n.id}\` (${n.reason})`).join(", ")}${own.length > 10 ? ` and ${own.length - 10} more` : ""}.`
    );
  const downstream = once.notTaken.length - own.length;
  if (downstream)
    lines.push(`${downstream} more compile(s) read one of those, so Nix built them too.`);
  return lines.join("\n\n") || "Every compile was taken from the recording.";
}
var listed = (items, n = 10) => items.slice(0, n).map((i) => `\`${i}\``).join(", ") + (items.length > n ? ` and ${items.length - n} more` : "");
function reuseSection(reuse, recorded, built) {
  if (reuse.kind !== "reused")
    return {
      title: "Plan reuse",
      body: reuse.kind === "fallback" ? `The earlier plan was tried and given up, so the build ran again in full: ${reuse.reason}.` : `The build ran in full: ${reuse.reason}.`
    };
  const changed = recorded.plan.reuse?.changed_sources ?? [];
  const rebuilt = built?.built ?? [];
  const lines = [
    `The earlier plan was reused: the build command did not run. ${changed.length === 0 ? "No source file changed." : `${changed.length} source file(s) changed: ${listed(changed)}.`}`,
    "",
    "| | |",
    "|---|---:|",
    `| steps built again | ${rebuilt.length} |`,
    `| steps substituted | ${recorded.plan.steps.length - rebuilt.length} |`
  ];
  if (rebuilt.length > 0) lines.push("", `Built again: ${listed(rebuilt)}.`);
  return { title: "Plan reuse", body: lines.join("\n") };
}
function publishSection(p) {
  const what = p.pushed ? `Published \`${p.branch}\` (\`${p.commit.slice(0, 12)}\`) to \`${p.remote}\`.` : `Nothing new to publish: \`${p.branch}\` on \`${p.remote}\` already holds this flake.`;
  return {
    title: "Lattice",
    body: [
      `<!-- rbn-published ${p.branch} ${p.commit} ${p.flakeRef} -->`,
      what,
      "",
      "```sh",
      `nix build '${p.flakeRef}'`,
      "```"
    ].join("\n")
  };
}
function binaryCacheSection(b, use) {
  const pushed = use.pushed !== null ? `${use.pushed}${use.pushError ? " (the push failed; see the warning)" : ""}` : use.deferred > 0 ? `${use.deferred} finished steps, by the post step (the build failed)` : "none: no binary-cache-secret-key, the cache is only read";
  return {
    title: "Binary cache",
    body: [
      `\`${cell(use.url)}\``,
      "",
      "| | |",
      "|---|---:|",
      `| steps substituted from it | ${b.substituted.length} |`,
      `| steps built | ${b.built.length} |`,
      ...b.once ? [`| compiles taken from the recording (built once) | ${b.once.taken.length} |`] : [],
      `| steps pushed to it | ${pushed} |`
    ].join("\n")
  };
}
function machinesSection(b) {
  const entries = Object.entries(b.machines);
  if (!entries.some(([m]) => m !== "")) return null;
  const rows = entries.sort(([, x], [, y]) => y - x).map(([m, n]) => `| \`${cell(machineName(m))}\` | ${n} |`);
  return {
    title: "Build machines",
    body: ["| machine | steps built |", "|---|---:|", ...rows].join("\n")
  };
}
function sectionsOf(r) {
  const sections = [];
  if (r.reuse) sections.push(reuseSection(r.reuse, r.recorded, r.built));
  if (r.cached) sections.push(cacheSection(r.cached.hit));
  const stats = r.recorded.sccacheStats;
  if (stats) sections.push({ title: "sccache", body: sccacheSection(stats) });
  sections.push(criticalPathSection(r.recorded.plan), crateGraphSection(r.recorded.plan));
  if (r.built) {
    sections.push(nixBuildSection(r.built));
    if (r.built.cacheUse) sections.push(binaryCacheSection(r.built, r.built.cacheUse));
    const machines = machinesSection(r.built);
    if (machines) sections.push(machines);
  }
  if (r.published) sections.push(publishSection(r.published));
  return sections;
}

// src/stages/summary.ts
function summarise(inputs, results, ctx) {
  enter(ctx, "writing the summary");
  const { recorded, built } = results;
  const failure = ctx.redactor.scrub(recorded.failure ?? built?.failure ?? "") || null;
  const summary = ctx.redactor.scrub(
    renderSummary({
      mode: inputs.mode,
      records: recorded.records,
      plan: recorded.plan,
      failure,
      emitMs: recorded.emitMs,
      sections: [...sectionsOf(results), timeSection(ctx)]
    })
  );
  writeSummary(inputs.metadataDir, summary);
  return { summary, failure };
}
function timeSection(ctx) {
  const rows = stageTimes(ctx.progress, Date.now()).filter((t) => t.stage !== "writing the summary" && t.ms >= 50).map((t) => `| ${t.stage} | ${formatMs(t.ms)} |`);
  return { title: "Time by stage", body: ["| stage | time |", "|---|---:|", ...rows].join("\n") };
}

// src/pipeline/modes.ts
async function emitMode(run3) {
  const { inputs, ctx, nix, journal: j } = run3;
  const pre = preflightFresh(inputs, ctx.env, ctx.log);
  const target = inputs.publish ? await publishTarget(inputs, ctx) : null;
  enter(ctx, "setting up");
  const prepared = j.note("prepared", await prepare(inputs, pre, ctx, nix));
  const cached = j.note("cached", await restoreForEmit(inputs, prepared, ctx, nix));
  const recorded = j.note("recorded", await record(inputs, prepared, cached, ctx));
  return finish(run3, recorded, target);
}
async function buildMode(run3) {
  const { inputs, ctx, nix, journal: j } = run3;
  const earlier = preflightEarlier(inputs, ctx.env, ctx.log, inputs.publish);
  const target = inputs.publish ? await publishTarget(inputs, ctx) : null;
  enter(ctx, "setting up Nix");
  await nix();
  const loaded = await loadEarlierEmit(inputs, earlier, ctx);
  const cached = j.note("cached", loaded.cached);
  const recorded = j.note("recorded", loaded.recorded);
  j.note("built", await buildWithNix(inputs, recorded, cached, ctx, await nix()));
  return finish(run3, recorded, target);
}
async function emitThenBuildMode(run3) {
  const { inputs, ctx, nix, journal: j } = run3;
  const pre = preflightFresh(inputs, ctx.env, ctx.log);
  const target = inputs.publish ? await publishTarget(inputs, ctx) : null;
  enter(ctx, "setting up Nix");
  await nix();
  enter(ctx, "setting up");
  const prepared = j.note("prepared", await prepare(inputs, pre, ctx, nix));
  const restored = j.note("nixRestored", await restoreNixCache(inputs, prepared, ctx));
  const reused = await reuseEarlierPlan(inputs, prepared, restored, ctx, nix, j);
  if (reused) return finish(run3, reused, target);
  const cached = j.note("cached", await restoreForEmit(inputs, prepared, ctx, nix, restored));
  const recorded = j.note("recorded", await record(inputs, prepared, cached, ctx));
  if (!recorded.failure)
    await buildAndKeepPlan(inputs, prepared, recorded, cached, ctx, await nix(), j);
  return finish(run3, recorded, target);
}
async function publishMode({ inputs, ctx, journal: j }) {
  const earlier = preflightEarlier(inputs, ctx.env, ctx.log, true);
  const target = await publishTarget(inputs, ctx);
  const { recorded, published } = await publishEarlier(inputs, earlier, target, ctx);
  j.note("recorded", recorded);
  j.note("published", published);
  const { records, plan } = recorded;
  const outputs = outputsOf(inputs, resultsOf(j));
  return { outputs, summary: "", failure: null, plan, records, sccache: null };
}
async function finish({ inputs, ctx, journal: j }, recorded, target) {
  const published = target ? await publishIfBuilt(inputs, target, recorded, j.entries.built, ctx) : null;
  if (published) j.note("published", published);
  const results = { ...resultsOf(j), recorded };
  const { summary, failure } = summarise(inputs, results, ctx);
  const { plan, records } = recorded;
  const sccache = runningSccache(j);
  return { outputs: outputsOf(inputs, results), summary, failure, plan, records, sccache };
}
var MODES2 = {
  emit: emitMode,
  build: buildMode,
  "emit-then-build": emitThenBuildMode,
  publish: publishMode
};

// src/pipeline/stopped.ts
import { existsSync as existsSync21 } from "node:fs";
function stoppedSummary(inputs, stage, message, log) {
  const summary = renderStoppedSummary(inputs.mode, stage, message);
  try {
    writeSummary(inputs.metadataDir, summary, true);
  } catch (w) {
    log.warning(`Could not write summary.md: ${w.message}`);
  }
  return summary;
}
function cancelled(inputs, signal, progress, sccacheStopped, recorded) {
  const cleaned = [
    ...progress.stage.startsWith("the recorded build") ? [
      "the build's processes stopped",
      "the target dir put back as cargo left it",
      "temp files removed"
    ] : [],
    ...Object.values(NIX_STAGES).some((st) => st === progress.stage) ? ["Nix's processes stopped"] : [],
    ...sccacheStopped ? ["sccache stopped"] : []
  ];
  const error = new CancelledError(abortSignalName(signal), progress.stage, cleaned);
  error.summary = renderCancelled(inputs.mode, error, recorded);
  if (existsSync21(inputs.metadataDir)) writeSummary(inputs.metadataDir, error.summary);
  return error;
}

// src/pipeline/run.ts
var PipelineError = class extends Error {
  constructor(message, stage, summary, outputs) {
    super(message);
    this.stage = stage;
    this.summary = summary;
    this.outputs = outputs;
  }
  stage;
  summary;
  outputs;
};
async function runPipeline(inputs, context, only = null) {
  const redactor = new Redactor(
    secretValuesOf(context.env, ...secretInputsOf(inputs)),
    (v) => context.log.mask(v)
  );
  const log = redactingLog(context.log, (t) => redactor.scrub(t));
  const progress = { stage: "starting", entered: [{ stage: "starting", at: Date.now() }] };
  const ctx = { ...context, env: { ...context.env }, log, redactor, progress };
  let nixEnv = null;
  const nix = async () => {
    nixEnv ??= nixEnvironment(inputs, { ...context, log });
    const env = await nixEnv;
    ctx.signal?.throwIfAborted();
    return env;
  };
  const journal = new Journal();
  savePostConfig(context.state, inputs);
  try {
    return await MODES2[only ?? inputs.mode]({ inputs, ctx, nix, journal });
  } catch (e) {
    const sccache = runningSccache(journal);
    if (sccache) await stopSccache(sccache, log);
    const recorded = resultsOf(journal).recorded?.records.length ?? null;
    if (ctx.signal?.aborted) throw cancelled(inputs, ctx.signal, progress, !!sccache, recorded);
    const message = redactor.scrub(e.message);
    if (e instanceof InputError) {
      e.message = message;
      throw e;
    }
    const summary = stoppedSummary(inputs, progress.stage, message, log);
    throw new PipelineError(
      message,
      progress.stage,
      summary,
      outputsOf(inputs, resultsOf(journal))
    );
  }
}

// src/util/signals.ts
var CLEANUP_TIMEOUT_MS = 3e4;
function cleanupTimedOut(sig) {
  return `Cancelled (${sig}); stopping took longer than ${CLEANUP_TIMEOUT_MS / 1e3} s (a step that cannot be interrupted, such as a cache transfer, was still running), so the run exits now; the next emit in this tree cleans up whatever is left.`;
}
function watchSignals(opts) {
  const controller = new AbortController();
  let first = null;
  let timer = null;
  const received = (sig) => {
    if (first) {
      opts.note(`${sig} received while cleaning up after ${first}: finishing the cleanup first.`);
      return;
    }
    first = sig;
    opts.note(`${sig} received: stopping the build and cleaning up.`);
    timer = setTimeout(() => opts.onTimeout(sig), CLEANUP_TIMEOUT_MS);
    timer.unref();
    controller.abort(new Interrupted(sig));
  };
  const onInt = () => received("SIGINT");
  const onTerm = () => received("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      if (timer) clearTimeout(timer);
    }
  };
}

export {
  InputError,
  INPUT_DEFAULTS,
  parseInputs,
  memoryState,
  processEnvironment,
  SECRET_INPUTS,
  abortSignalName,
  CancelledError,
  exitCodeFor,
  PipelineError,
  runPipeline,
  cleanupTimedOut,
  watchSignals
};
