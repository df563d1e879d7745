import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  __commonJS,
  __toESM
} from "./chunk-5EWROA6M.js";

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str) {
      const len = str.length;
      let length = 0;
      let pos = 0;
      let value;
      while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 55296 && value <= 56319 && pos < len) {
          value = str.charCodeAt(pos);
          if ((value & 64512) === 56320)
            pos++;
        }
      }
      return length;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// src/metadata/dir.ts
import { existsSync as existsSync2, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join as join2 } from "node:path";

// src/util/input-paths.ts
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
var VIRTUAL = ["/proc", "/sys", "/dev"];
var VIRTUAL_OK = ["/dev/shm"];
function isUnder(path, dir) {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
function isWithin(inner, outer) {
  const rel = relative(outer, inner);
  return rel === "" || !rel.startsWith("..") && !rel.startsWith(sep);
}
function statOf(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
function can(path, mode) {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
function realOrSelf(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
function readableDirProblem(path) {
  const st = statOf(path);
  if (!st) return "does not exist";
  if (!st.isDirectory()) return "is a file, not a directory";
  if (!can(path, constants.R_OK | constants.X_OK)) return "cannot be read by this user";
  return null;
}
function readableFileProblem(path) {
  const st = statOf(path);
  if (!st) return "does not exist";
  if (st.isDirectory()) return "is a directory, not a file";
  if (!st.isFile()) return "is not a regular file";
  if (!can(path, constants.R_OK)) return "cannot be read by this user";
  return null;
}
function writableDirProblem(path) {
  let existing = path;
  while (!statOf(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realOrSelf(existing);
  if (VIRTUAL.some((d) => isUnder(real, d)) && !VIRTUAL_OK.some((d) => isUnder(real, d)))
    return `is on the kernel's ${VIRTUAL.find((d) => isUnder(real, d))} file system, which cannot hold files`;
  const st = statOf(existing);
  if (!st) return "has no existing parent directory";
  if (!st.isDirectory())
    return existing === path ? "is a file, not a directory" : `lies under ${existing}, a file`;
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = e.code;
    const where = existing === path ? "" : ` (its parent ${existing})`;
    return code === "EROFS" ? `is on a read-only file system${where}` : `is not writable by this user${where}`;
  }
  return null;
}

// src/generated/validators.js
var import_ucs2length = __toESM(require_ucs2length(), 1);
var rt_ucs2length = import_ucs2length.default.default ?? import_ucs2length.default;
var record = validate20;
var schema31 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://rust-bootstrap-nix.invalid/schema/record.v1.schema.json", "title": "rust-bootstrap-nix invocation record (one line of invocations.jsonl)", "type": "object", "required": ["schema_version", "id", "type", "command", "args", "env", "cwd", "deps", "outputs", "exit_code", "duration_ms"], "additionalProperties": false, "properties": { "schema_version": { "const": 1 }, "id": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_.-]*$" }, "type": { "enum": ["rust_compiler_invocation", "build_script_run", "cargo_invocation"] }, "command": { "type": "string", "minLength": 1 }, "args": { "type": "array", "items": { "type": "string" } }, "env": { "type": "object", "additionalProperties": { "type": "string" } }, "cwd": { "type": "string", "pattern": "^/" }, "deps": { "type": "array", "items": { "type": "string" }, "uniqueItems": true }, "outputs": { "type": "array", "items": { "type": "string", "pattern": "^/" } }, "exit_code": { "type": ["integer", "null"] }, "duration_ms": { "type": "integer", "minimum": 0 }, "start_ms": { "type": "integer", "minimum": 0 }, "probe": { "const": true }, "parent": { "type": "string" }, "reused": { "const": true, "description": "carried over from an earlier emit whose plan this run reused (cargo did not run)" } }, "if": { "properties": { "probe": { "const": true } }, "required": ["probe"] }, "then": { "properties": { "type": { "const": "rust_compiler_invocation" }, "deps": { "type": "array", "maxItems": 0 } } } };
var func1 = Object.prototype.hasOwnProperty;
var func2 = rt_ucs2length;
var pattern4 = new RegExp("^[A-Za-z_][A-Za-z0-9_.-]*$", "u");
var pattern5 = new RegExp("^/", "u");
function validate20(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  ;
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate20.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  const _errs1 = errors;
  let valid0 = true;
  const _errs2 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing0;
    if (data.probe === void 0 && (missing0 = "probe")) {
      const err0 = {};
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    } else {
      if (data.probe !== void 0) {
        if (true !== data.probe) {
          const err1 = {};
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
      }
    }
  }
  var _valid0 = _errs2 === errors;
  errors = _errs1;
  if (vErrors !== null) {
    if (_errs1) {
      vErrors.length = _errs1;
    } else {
      vErrors = null;
    }
  }
  if (_valid0) {
    const _errs4 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.type !== void 0) {
        if ("rust_compiler_invocation" !== data.type) {
          const err2 = { instancePath: instancePath + "/type", schemaPath: "#/then/properties/type/const", keyword: "const", params: { allowedValue: "rust_compiler_invocation" }, message: "must be equal to constant" };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      }
      if (data.deps !== void 0) {
        let data2 = data.deps;
        if (Array.isArray(data2)) {
          if (data2.length > 0) {
            const err3 = { instancePath: instancePath + "/deps", schemaPath: "#/then/properties/deps/maxItems", keyword: "maxItems", params: { limit: 0 }, message: "must NOT have more than 0 items" };
            if (vErrors === null) {
              vErrors = [err3];
            } else {
              vErrors.push(err3);
            }
            errors++;
          }
        } else {
          const err4 = { instancePath: instancePath + "/deps", schemaPath: "#/then/properties/deps/type", keyword: "type", params: { type: "array" }, message: "must be array" };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
      }
    }
    var _valid0 = _errs4 === errors;
    valid0 = _valid0;
    if (valid0) {
      var props0 = {};
      props0.type = true;
      props0.deps = true;
      props0.probe = true;
    }
  }
  if (!valid0) {
    const err5 = { instancePath, schemaPath: "#/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema' };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.schema_version === void 0) {
      const err6 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "schema_version" }, message: "must have required property 'schema_version'" };
      if (vErrors === null) {
        vErrors = [err6];
      } else {
        vErrors.push(err6);
      }
      errors++;
    }
    if (data.id === void 0) {
      const err7 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "id" }, message: "must have required property 'id'" };
      if (vErrors === null) {
        vErrors = [err7];
      } else {
        vErrors.push(err7);
      }
      errors++;
    }
    if (data.type === void 0) {
      const err8 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "type" }, message: "must have required property 'type'" };
      if (vErrors === null) {
        vErrors = [err8];
      } else {
        vErrors.push(err8);
      }
      errors++;
    }
    if (data.command === void 0) {
      const err9 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "command" }, message: "must have required property 'command'" };
      if (vErrors === null) {
        vErrors = [err9];
      } else {
        vErrors.push(err9);
      }
      errors++;
    }
    if (data.args === void 0) {
      const err10 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "args" }, message: "must have required property 'args'" };
      if (vErrors === null) {
        vErrors = [err10];
      } else {
        vErrors.push(err10);
      }
      errors++;
    }
    if (data.env === void 0) {
      const err11 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "env" }, message: "must have required property 'env'" };
      if (vErrors === null) {
        vErrors = [err11];
      } else {
        vErrors.push(err11);
      }
      errors++;
    }
    if (data.cwd === void 0) {
      const err12 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "cwd" }, message: "must have required property 'cwd'" };
      if (vErrors === null) {
        vErrors = [err12];
      } else {
        vErrors.push(err12);
      }
      errors++;
    }
    if (data.deps === void 0) {
      const err13 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "deps" }, message: "must have required property 'deps'" };
      if (vErrors === null) {
        vErrors = [err13];
      } else {
        vErrors.push(err13);
      }
      errors++;
    }
    if (data.outputs === void 0) {
      const err14 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "outputs" }, message: "must have required property 'outputs'" };
      if (vErrors === null) {
        vErrors = [err14];
      } else {
        vErrors.push(err14);
      }
      errors++;
    }
    if (data.exit_code === void 0) {
      const err15 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "exit_code" }, message: "must have required property 'exit_code'" };
      if (vErrors === null) {
        vErrors = [err15];
      } else {
        vErrors.push(err15);
      }
      errors++;
    }
    if (data.duration_ms === void 0) {
      const err16 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "duration_ms" }, message: "must have required property 'duration_ms'" };
      if (vErrors === null) {
        vErrors = [err16];
      } else {
        vErrors.push(err16);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!func1.call(schema31.properties, key0)) {
        const err17 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties" };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
    }
    if (data.schema_version !== void 0) {
      if (1 !== data.schema_version) {
        const err18 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant" };
        if (vErrors === null) {
          vErrors = [err18];
        } else {
          vErrors.push(err18);
        }
        errors++;
      }
    }
    if (data.id !== void 0) {
      let data4 = data.id;
      if (typeof data4 === "string") {
        if (!pattern4.test(data4)) {
          const err19 = { instancePath: instancePath + "/id", schemaPath: "#/properties/id/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z_][A-Za-z0-9_.-]*$" }, message: 'must match pattern "^[A-Za-z_][A-Za-z0-9_.-]*$"' };
          if (vErrors === null) {
            vErrors = [err19];
          } else {
            vErrors.push(err19);
          }
          errors++;
        }
      } else {
        const err20 = { instancePath: instancePath + "/id", schemaPath: "#/properties/id/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err20];
        } else {
          vErrors.push(err20);
        }
        errors++;
      }
    }
    if (data.type !== void 0) {
      let data5 = data.type;
      if (!(data5 === "rust_compiler_invocation" || data5 === "build_script_run" || data5 === "cargo_invocation")) {
        const err21 = { instancePath: instancePath + "/type", schemaPath: "#/properties/type/enum", keyword: "enum", params: { allowedValues: schema31.properties.type.enum }, message: "must be equal to one of the allowed values" };
        if (vErrors === null) {
          vErrors = [err21];
        } else {
          vErrors.push(err21);
        }
        errors++;
      }
    }
    if (data.command !== void 0) {
      let data6 = data.command;
      if (typeof data6 === "string") {
        if (func2(data6) < 1) {
          const err22 = { instancePath: instancePath + "/command", schemaPath: "#/properties/command/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
          if (vErrors === null) {
            vErrors = [err22];
          } else {
            vErrors.push(err22);
          }
          errors++;
        }
      } else {
        const err23 = { instancePath: instancePath + "/command", schemaPath: "#/properties/command/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
    }
    if (data.args !== void 0) {
      let data7 = data.args;
      if (Array.isArray(data7)) {
        const len0 = data7.length;
        for (let i0 = 0; i0 < len0; i0++) {
          if (typeof data7[i0] !== "string") {
            const err24 = { instancePath: instancePath + "/args/" + i0, schemaPath: "#/properties/args/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          }
        }
      } else {
        const err25 = { instancePath: instancePath + "/args", schemaPath: "#/properties/args/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err25];
        } else {
          vErrors.push(err25);
        }
        errors++;
      }
    }
    if (data.env !== void 0) {
      let data9 = data.env;
      if (data9 && typeof data9 == "object" && !Array.isArray(data9)) {
        for (const key1 in data9) {
          if (typeof data9[key1] !== "string") {
            const err26 = { instancePath: instancePath + "/env/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/env/additionalProperties/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err26];
            } else {
              vErrors.push(err26);
            }
            errors++;
          }
        }
      } else {
        const err27 = { instancePath: instancePath + "/env", schemaPath: "#/properties/env/type", keyword: "type", params: { type: "object" }, message: "must be object" };
        if (vErrors === null) {
          vErrors = [err27];
        } else {
          vErrors.push(err27);
        }
        errors++;
      }
    }
    if (data.cwd !== void 0) {
      let data11 = data.cwd;
      if (typeof data11 === "string") {
        if (!pattern5.test(data11)) {
          const err28 = { instancePath: instancePath + "/cwd", schemaPath: "#/properties/cwd/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
          if (vErrors === null) {
            vErrors = [err28];
          } else {
            vErrors.push(err28);
          }
          errors++;
        }
      } else {
        const err29 = { instancePath: instancePath + "/cwd", schemaPath: "#/properties/cwd/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err29];
        } else {
          vErrors.push(err29);
        }
        errors++;
      }
    }
    if (data.deps !== void 0) {
      let data12 = data.deps;
      if (Array.isArray(data12)) {
        const len1 = data12.length;
        for (let i1 = 0; i1 < len1; i1++) {
          if (typeof data12[i1] !== "string") {
            const err30 = { instancePath: instancePath + "/deps/" + i1, schemaPath: "#/properties/deps/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err30];
            } else {
              vErrors.push(err30);
            }
            errors++;
          }
        }
        let i2 = data12.length;
        let j0;
        if (i2 > 1) {
          const indices0 = {};
          for (; i2--; ) {
            let item0 = data12[i2];
            if (typeof item0 !== "string") {
              continue;
            }
            if (typeof indices0[item0] == "number") {
              j0 = indices0[item0];
              const err31 = { instancePath: instancePath + "/deps", schemaPath: "#/properties/deps/uniqueItems", keyword: "uniqueItems", params: { i: i2, j: j0 }, message: "must NOT have duplicate items (items ## " + j0 + " and " + i2 + " are identical)" };
              if (vErrors === null) {
                vErrors = [err31];
              } else {
                vErrors.push(err31);
              }
              errors++;
              break;
            }
            indices0[item0] = i2;
          }
        }
      } else {
        const err32 = { instancePath: instancePath + "/deps", schemaPath: "#/properties/deps/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err32];
        } else {
          vErrors.push(err32);
        }
        errors++;
      }
    }
    if (data.outputs !== void 0) {
      let data14 = data.outputs;
      if (Array.isArray(data14)) {
        const len2 = data14.length;
        for (let i3 = 0; i3 < len2; i3++) {
          let data15 = data14[i3];
          if (typeof data15 === "string") {
            if (!pattern5.test(data15)) {
              const err33 = { instancePath: instancePath + "/outputs/" + i3, schemaPath: "#/properties/outputs/items/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
              if (vErrors === null) {
                vErrors = [err33];
              } else {
                vErrors.push(err33);
              }
              errors++;
            }
          } else {
            const err34 = { instancePath: instancePath + "/outputs/" + i3, schemaPath: "#/properties/outputs/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err34];
            } else {
              vErrors.push(err34);
            }
            errors++;
          }
        }
      } else {
        const err35 = { instancePath: instancePath + "/outputs", schemaPath: "#/properties/outputs/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err35];
        } else {
          vErrors.push(err35);
        }
        errors++;
      }
    }
    if (data.exit_code !== void 0) {
      let data16 = data.exit_code;
      if (!(typeof data16 == "number" && (!(data16 % 1) && !isNaN(data16)) && isFinite(data16)) && data16 !== null) {
        const err36 = { instancePath: instancePath + "/exit_code", schemaPath: "#/properties/exit_code/type", keyword: "type", params: { type: schema31.properties.exit_code.type }, message: "must be integer,null" };
        if (vErrors === null) {
          vErrors = [err36];
        } else {
          vErrors.push(err36);
        }
        errors++;
      }
    }
    if (data.duration_ms !== void 0) {
      let data17 = data.duration_ms;
      if (!(typeof data17 == "number" && (!(data17 % 1) && !isNaN(data17)) && isFinite(data17))) {
        const err37 = { instancePath: instancePath + "/duration_ms", schemaPath: "#/properties/duration_ms/type", keyword: "type", params: { type: "integer" }, message: "must be integer" };
        if (vErrors === null) {
          vErrors = [err37];
        } else {
          vErrors.push(err37);
        }
        errors++;
      }
      if (typeof data17 == "number" && isFinite(data17)) {
        if (data17 < 0 || isNaN(data17)) {
          const err38 = { instancePath: instancePath + "/duration_ms", schemaPath: "#/properties/duration_ms/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0" };
          if (vErrors === null) {
            vErrors = [err38];
          } else {
            vErrors.push(err38);
          }
          errors++;
        }
      }
    }
    if (data.start_ms !== void 0) {
      let data18 = data.start_ms;
      if (!(typeof data18 == "number" && (!(data18 % 1) && !isNaN(data18)) && isFinite(data18))) {
        const err39 = { instancePath: instancePath + "/start_ms", schemaPath: "#/properties/start_ms/type", keyword: "type", params: { type: "integer" }, message: "must be integer" };
        if (vErrors === null) {
          vErrors = [err39];
        } else {
          vErrors.push(err39);
        }
        errors++;
      }
      if (typeof data18 == "number" && isFinite(data18)) {
        if (data18 < 0 || isNaN(data18)) {
          const err40 = { instancePath: instancePath + "/start_ms", schemaPath: "#/properties/start_ms/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0" };
          if (vErrors === null) {
            vErrors = [err40];
          } else {
            vErrors.push(err40);
          }
          errors++;
        }
      }
    }
    if (data.probe !== void 0) {
      if (true !== data.probe) {
        const err41 = { instancePath: instancePath + "/probe", schemaPath: "#/properties/probe/const", keyword: "const", params: { allowedValue: true }, message: "must be equal to constant" };
        if (vErrors === null) {
          vErrors = [err41];
        } else {
          vErrors.push(err41);
        }
        errors++;
      }
    }
    if (data.parent !== void 0) {
      if (typeof data.parent !== "string") {
        const err42 = { instancePath: instancePath + "/parent", schemaPath: "#/properties/parent/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err42];
        } else {
          vErrors.push(err42);
        }
        errors++;
      }
    }
    if (data.reused !== void 0) {
      if (true !== data.reused) {
        const err43 = { instancePath: instancePath + "/reused", schemaPath: "#/properties/reused/const", keyword: "const", params: { allowedValue: true }, message: "must be equal to constant" };
        if (vErrors === null) {
          vErrors = [err43];
        } else {
          vErrors.push(err43);
        }
        errors++;
      }
    }
  } else {
    const err44 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object" };
    if (vErrors === null) {
      vErrors = [err44];
    } else {
      vErrors.push(err44);
    }
    errors++;
  }
  validate20.errors = vErrors;
  return errors === 0;
}
validate20.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var plan = validate21;
var schema32 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://rust-bootstrap-nix.invalid/schema/plan.v1.schema.json", "title": "rust-bootstrap-nix plan (plan.json)", "type": "object", "required": ["schema_version", "source_dir", "target_dirs", "roots", "toolchain", "steps", "artifacts"], "additionalProperties": false, "properties": { "schema_version": { "const": 1 }, "source_dir": { "type": "string", "pattern": "^/" }, "target_dirs": { "type": "array", "items": { "type": "string", "pattern": "^/" } }, "roots": { "type": "array", "items": { "type": "object", "required": ["name", "path"], "additionalProperties": false, "properties": { "name": { "type": "string", "pattern": "^[A-Za-z0-9_.+/-]+$" }, "path": { "type": "string", "pattern": "^/" } } } }, "toolchain": { "type": "object", "required": ["rustc", "cargo", "sysroot", "version"], "additionalProperties": false, "properties": { "rustc": { "type": "string" }, "cargo": { "type": "string" }, "sysroot": { "type": "string" }, "version": { "type": "string" }, "nix_spec": { "type": "object", "required": ["spec", "file"], "additionalProperties": false, "properties": { "spec": { "type": "object" }, "file": { "type": ["string", "null"] } } } } }, "steps": { "type": "array", "items": { "type": "object", "required": ["id", "type", "crate", "kind", "deps", "outputs", "sources", "env_deps", "cwd", "duration_ms", "exit_code"], "additionalProperties": false, "properties": { "id": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_.-]*$" }, "type": { "enum": ["rust_compiler_invocation", "build_script_run", "link"] }, "crate": { "type": "string" }, "kind": { "enum": ["lib", "bin", "proc-macro", "build-script", "build-script-run", "link", "other"] }, "deps": { "type": "array", "items": { "type": "string" }, "uniqueItems": true }, "outputs": { "type": "array", "items": { "type": "string", "pattern": "^/" } }, "sources": { "type": "array", "items": { "type": "string", "pattern": "^/" } }, "env_deps": { "type": "array", "items": { "type": "string" } }, "cwd": { "type": "string", "pattern": "^/" }, "duration_ms": { "type": "integer", "minimum": 0 }, "exit_code": { "type": ["integer", "null"] }, "stage": { "description": "x.py's stage (RUSTC_STAGE); for a link step the highest stage of what it places; null outside x.py's stages", "type": ["integer", "null"], "minimum": 0 }, "env_names": { "description": "the recorded variables the step runs with under Nix", "type": "array", "items": { "type": "string" } }, "empty_dirs": { "description": "empty directories a link step makes, as the build left them", "type": "array", "items": { "type": "string", "pattern": "^/" } }, "files": { "description": "a link step's files: each a copy of a step output (from), or a stamp kept with its content (from null)", "type": "array", "items": { "type": "object", "required": ["path", "from"], "additionalProperties": false, "properties": { "path": { "type": "string", "pattern": "^/" }, "from": { "type": ["string", "null"], "pattern": "^/" } } } } } } }, "reuse": { "description": "set when this run reused an earlier emit's plan instead of running the build again", "type": "object", "required": ["changed_sources", "rebuilt_steps"], "additionalProperties": false, "properties": { "changed_sources": { "description": "source files whose content differs from the earlier emit's", "type": "array", "items": { "type": "string", "pattern": "^/" } }, "rebuilt_steps": { "description": "steps that read a changed source, and the steps after them", "type": "array", "items": { "type": "string" } } } }, "artifacts": { "type": "array", "items": { "type": "object", "required": ["path", "step", "from"], "additionalProperties": false, "properties": { "path": { "type": "string", "pattern": "^/" }, "step": { "type": "string" }, "from": { "type": "string", "pattern": "^/" } } } } } };
var pattern9 = new RegExp("^[A-Za-z0-9_.+/-]+$", "u");
function validate21(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  ;
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate21.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.schema_version === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "schema_version" }, message: "must have required property 'schema_version'" };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.source_dir === void 0) {
      const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "source_dir" }, message: "must have required property 'source_dir'" };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    if (data.target_dirs === void 0) {
      const err2 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "target_dirs" }, message: "must have required property 'target_dirs'" };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
    if (data.roots === void 0) {
      const err3 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "roots" }, message: "must have required property 'roots'" };
      if (vErrors === null) {
        vErrors = [err3];
      } else {
        vErrors.push(err3);
      }
      errors++;
    }
    if (data.toolchain === void 0) {
      const err4 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "toolchain" }, message: "must have required property 'toolchain'" };
      if (vErrors === null) {
        vErrors = [err4];
      } else {
        vErrors.push(err4);
      }
      errors++;
    }
    if (data.steps === void 0) {
      const err5 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "steps" }, message: "must have required property 'steps'" };
      if (vErrors === null) {
        vErrors = [err5];
      } else {
        vErrors.push(err5);
      }
      errors++;
    }
    if (data.artifacts === void 0) {
      const err6 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "artifacts" }, message: "must have required property 'artifacts'" };
      if (vErrors === null) {
        vErrors = [err6];
      } else {
        vErrors.push(err6);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "schema_version" || key0 === "source_dir" || key0 === "target_dirs" || key0 === "roots" || key0 === "toolchain" || key0 === "steps" || key0 === "reuse" || key0 === "artifacts")) {
        const err7 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties" };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
    }
    if (data.schema_version !== void 0) {
      if (1 !== data.schema_version) {
        const err8 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant" };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
    if (data.source_dir !== void 0) {
      let data1 = data.source_dir;
      if (typeof data1 === "string") {
        if (!pattern5.test(data1)) {
          const err9 = { instancePath: instancePath + "/source_dir", schemaPath: "#/properties/source_dir/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      } else {
        const err10 = { instancePath: instancePath + "/source_dir", schemaPath: "#/properties/source_dir/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
    }
    if (data.target_dirs !== void 0) {
      let data2 = data.target_dirs;
      if (Array.isArray(data2)) {
        const len0 = data2.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data3 = data2[i0];
          if (typeof data3 === "string") {
            if (!pattern5.test(data3)) {
              const err11 = { instancePath: instancePath + "/target_dirs/" + i0, schemaPath: "#/properties/target_dirs/items/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
              if (vErrors === null) {
                vErrors = [err11];
              } else {
                vErrors.push(err11);
              }
              errors++;
            }
          } else {
            const err12 = { instancePath: instancePath + "/target_dirs/" + i0, schemaPath: "#/properties/target_dirs/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
        }
      } else {
        const err13 = { instancePath: instancePath + "/target_dirs", schemaPath: "#/properties/target_dirs/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
    }
    if (data.roots !== void 0) {
      let data4 = data.roots;
      if (Array.isArray(data4)) {
        const len1 = data4.length;
        for (let i1 = 0; i1 < len1; i1++) {
          let data5 = data4[i1];
          if (data5 && typeof data5 == "object" && !Array.isArray(data5)) {
            if (data5.name === void 0) {
              const err14 = { instancePath: instancePath + "/roots/" + i1, schemaPath: "#/properties/roots/items/required", keyword: "required", params: { missingProperty: "name" }, message: "must have required property 'name'" };
              if (vErrors === null) {
                vErrors = [err14];
              } else {
                vErrors.push(err14);
              }
              errors++;
            }
            if (data5.path === void 0) {
              const err15 = { instancePath: instancePath + "/roots/" + i1, schemaPath: "#/properties/roots/items/required", keyword: "required", params: { missingProperty: "path" }, message: "must have required property 'path'" };
              if (vErrors === null) {
                vErrors = [err15];
              } else {
                vErrors.push(err15);
              }
              errors++;
            }
            for (const key1 in data5) {
              if (!(key1 === "name" || key1 === "path")) {
                const err16 = { instancePath: instancePath + "/roots/" + i1, schemaPath: "#/properties/roots/items/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key1 }, message: "must NOT have additional properties" };
                if (vErrors === null) {
                  vErrors = [err16];
                } else {
                  vErrors.push(err16);
                }
                errors++;
              }
            }
            if (data5.name !== void 0) {
              let data6 = data5.name;
              if (typeof data6 === "string") {
                if (!pattern9.test(data6)) {
                  const err17 = { instancePath: instancePath + "/roots/" + i1 + "/name", schemaPath: "#/properties/roots/items/properties/name/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z0-9_.+/-]+$" }, message: 'must match pattern "^[A-Za-z0-9_.+/-]+$"' };
                  if (vErrors === null) {
                    vErrors = [err17];
                  } else {
                    vErrors.push(err17);
                  }
                  errors++;
                }
              } else {
                const err18 = { instancePath: instancePath + "/roots/" + i1 + "/name", schemaPath: "#/properties/roots/items/properties/name/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err18];
                } else {
                  vErrors.push(err18);
                }
                errors++;
              }
            }
            if (data5.path !== void 0) {
              let data7 = data5.path;
              if (typeof data7 === "string") {
                if (!pattern5.test(data7)) {
                  const err19 = { instancePath: instancePath + "/roots/" + i1 + "/path", schemaPath: "#/properties/roots/items/properties/path/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                  if (vErrors === null) {
                    vErrors = [err19];
                  } else {
                    vErrors.push(err19);
                  }
                  errors++;
                }
              } else {
                const err20 = { instancePath: instancePath + "/roots/" + i1 + "/path", schemaPath: "#/properties/roots/items/properties/path/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err20];
                } else {
                  vErrors.push(err20);
                }
                errors++;
              }
            }
          } else {
            const err21 = { instancePath: instancePath + "/roots/" + i1, schemaPath: "#/properties/roots/items/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
        }
      } else {
        const err22 = { instancePath: instancePath + "/roots", schemaPath: "#/properties/roots/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err22];
        } else {
          vErrors.push(err22);
        }
        errors++;
      }
    }
    if (data.toolchain !== void 0) {
      let data8 = data.toolchain;
      if (data8 && typeof data8 == "object" && !Array.isArray(data8)) {
        if (data8.rustc === void 0) {
          const err23 = { instancePath: instancePath + "/toolchain", schemaPath: "#/properties/toolchain/required", keyword: "required", params: { missingProperty: "rustc" }, message: "must have required property 'rustc'" };
          if (vErrors === null) {
            vErrors = [err23];
          } else {
            vErrors.push(err23);
          }
          errors++;
        }
        if (data8.cargo === void 0) {
          const err24 = { instancePath: instancePath + "/toolchain", schemaPath: "#/properties/toolchain/required", keyword: "required", params: { missingProperty: "cargo" }, message: "must have required property 'cargo'" };
          if (vErrors === null) {
            vErrors = [err24];
          } else {
            vErrors.push(err24);
          }
          errors++;
        }
        if (data8.sysroot === void 0) {
          const err25 = { instancePath: instancePath + "/toolchain", schemaPath: "#/properties/toolchain/required", keyword: "required", params: { missingProperty: "sysroot" }, message: "must have required property 'sysroot'" };
          if (vErrors === null) {
            vErrors = [err25];
          } else {
            vErrors.push(err25);
          }
          errors++;
        }
        if (data8.version === void 0) {
          const err26 = { instancePath: instancePath + "/toolchain", schemaPath: "#/properties/toolchain/required", keyword: "required", params: { missingProperty: "version" }, message: "must have required property 'version'" };
          if (vErrors === null) {
            vErrors = [err26];
          } else {
            vErrors.push(err26);
          }
          errors++;
        }
        for (const key2 in data8) {
          if (!(key2 === "rustc" || key2 === "cargo" || key2 === "sysroot" || key2 === "version" || key2 === "nix_spec")) {
            const err27 = { instancePath: instancePath + "/toolchain", schemaPath: "#/properties/toolchain/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties" };
            if (vErrors === null) {
              vErrors = [err27];
            } else {
              vErrors.push(err27);
            }
            errors++;
          }
        }
        if (data8.rustc !== void 0) {
          if (typeof data8.rustc !== "string") {
            const err28 = { instancePath: instancePath + "/toolchain/rustc", schemaPath: "#/properties/toolchain/properties/rustc/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err28];
            } else {
              vErrors.push(err28);
            }
            errors++;
          }
        }
        if (data8.cargo !== void 0) {
          if (typeof data8.cargo !== "string") {
            const err29 = { instancePath: instancePath + "/toolchain/cargo", schemaPath: "#/properties/toolchain/properties/cargo/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err29];
            } else {
              vErrors.push(err29);
            }
            errors++;
          }
        }
        if (data8.sysroot !== void 0) {
          if (typeof data8.sysroot !== "string") {
            const err30 = { instancePath: instancePath + "/toolchain/sysroot", schemaPath: "#/properties/toolchain/properties/sysroot/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err30];
            } else {
              vErrors.push(err30);
            }
            errors++;
          }
        }
        if (data8.version !== void 0) {
          if (typeof data8.version !== "string") {
            const err31 = { instancePath: instancePath + "/toolchain/version", schemaPath: "#/properties/toolchain/properties/version/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err31];
            } else {
              vErrors.push(err31);
            }
            errors++;
          }
        }
        if (data8.nix_spec !== void 0) {
          let data13 = data8.nix_spec;
          if (data13 && typeof data13 == "object" && !Array.isArray(data13)) {
            if (data13.spec === void 0) {
              const err32 = { instancePath: instancePath + "/toolchain/nix_spec", schemaPath: "#/properties/toolchain/properties/nix_spec/required", keyword: "required", params: { missingProperty: "spec" }, message: "must have required property 'spec'" };
              if (vErrors === null) {
                vErrors = [err32];
              } else {
                vErrors.push(err32);
              }
              errors++;
            }
            if (data13.file === void 0) {
              const err33 = { instancePath: instancePath + "/toolchain/nix_spec", schemaPath: "#/properties/toolchain/properties/nix_spec/required", keyword: "required", params: { missingProperty: "file" }, message: "must have required property 'file'" };
              if (vErrors === null) {
                vErrors = [err33];
              } else {
                vErrors.push(err33);
              }
              errors++;
            }
            for (const key3 in data13) {
              if (!(key3 === "spec" || key3 === "file")) {
                const err34 = { instancePath: instancePath + "/toolchain/nix_spec", schemaPath: "#/properties/toolchain/properties/nix_spec/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties" };
                if (vErrors === null) {
                  vErrors = [err34];
                } else {
                  vErrors.push(err34);
                }
                errors++;
              }
            }
            if (data13.spec !== void 0) {
              let data14 = data13.spec;
              if (!(data14 && typeof data14 == "object" && !Array.isArray(data14))) {
                const err35 = { instancePath: instancePath + "/toolchain/nix_spec/spec", schemaPath: "#/properties/toolchain/properties/nix_spec/properties/spec/type", keyword: "type", params: { type: "object" }, message: "must be object" };
                if (vErrors === null) {
                  vErrors = [err35];
                } else {
                  vErrors.push(err35);
                }
                errors++;
              }
            }
            if (data13.file !== void 0) {
              let data15 = data13.file;
              if (typeof data15 !== "string" && data15 !== null) {
                const err36 = { instancePath: instancePath + "/toolchain/nix_spec/file", schemaPath: "#/properties/toolchain/properties/nix_spec/properties/file/type", keyword: "type", params: { type: schema32.properties.toolchain.properties.nix_spec.properties.file.type }, message: "must be string,null" };
                if (vErrors === null) {
                  vErrors = [err36];
                } else {
                  vErrors.push(err36);
                }
                errors++;
              }
            }
          } else {
            const err37 = { instancePath: instancePath + "/toolchain/nix_spec", schemaPath: "#/properties/toolchain/properties/nix_spec/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err37];
            } else {
              vErrors.push(err37);
            }
            errors++;
          }
        }
      } else {
        const err38 = { instancePath: instancePath + "/toolchain", schemaPath: "#/properties/toolchain/type", keyword: "type", params: { type: "object" }, message: "must be object" };
        if (vErrors === null) {
          vErrors = [err38];
        } else {
          vErrors.push(err38);
        }
        errors++;
      }
    }
    if (data.steps !== void 0) {
      let data16 = data.steps;
      if (Array.isArray(data16)) {
        const len2 = data16.length;
        for (let i2 = 0; i2 < len2; i2++) {
          let data17 = data16[i2];
          if (data17 && typeof data17 == "object" && !Array.isArray(data17)) {
            if (data17.id === void 0) {
              const err39 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "id" }, message: "must have required property 'id'" };
              if (vErrors === null) {
                vErrors = [err39];
              } else {
                vErrors.push(err39);
              }
              errors++;
            }
            if (data17.type === void 0) {
              const err40 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "type" }, message: "must have required property 'type'" };
              if (vErrors === null) {
                vErrors = [err40];
              } else {
                vErrors.push(err40);
              }
              errors++;
            }
            if (data17.crate === void 0) {
              const err41 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "crate" }, message: "must have required property 'crate'" };
              if (vErrors === null) {
                vErrors = [err41];
              } else {
                vErrors.push(err41);
              }
              errors++;
            }
            if (data17.kind === void 0) {
              const err42 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "kind" }, message: "must have required property 'kind'" };
              if (vErrors === null) {
                vErrors = [err42];
              } else {
                vErrors.push(err42);
              }
              errors++;
            }
            if (data17.deps === void 0) {
              const err43 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "deps" }, message: "must have required property 'deps'" };
              if (vErrors === null) {
                vErrors = [err43];
              } else {
                vErrors.push(err43);
              }
              errors++;
            }
            if (data17.outputs === void 0) {
              const err44 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "outputs" }, message: "must have required property 'outputs'" };
              if (vErrors === null) {
                vErrors = [err44];
              } else {
                vErrors.push(err44);
              }
              errors++;
            }
            if (data17.sources === void 0) {
              const err45 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "sources" }, message: "must have required property 'sources'" };
              if (vErrors === null) {
                vErrors = [err45];
              } else {
                vErrors.push(err45);
              }
              errors++;
            }
            if (data17.env_deps === void 0) {
              const err46 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "env_deps" }, message: "must have required property 'env_deps'" };
              if (vErrors === null) {
                vErrors = [err46];
              } else {
                vErrors.push(err46);
              }
              errors++;
            }
            if (data17.cwd === void 0) {
              const err47 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "cwd" }, message: "must have required property 'cwd'" };
              if (vErrors === null) {
                vErrors = [err47];
              } else {
                vErrors.push(err47);
              }
              errors++;
            }
            if (data17.duration_ms === void 0) {
              const err48 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "duration_ms" }, message: "must have required property 'duration_ms'" };
              if (vErrors === null) {
                vErrors = [err48];
              } else {
                vErrors.push(err48);
              }
              errors++;
            }
            if (data17.exit_code === void 0) {
              const err49 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/required", keyword: "required", params: { missingProperty: "exit_code" }, message: "must have required property 'exit_code'" };
              if (vErrors === null) {
                vErrors = [err49];
              } else {
                vErrors.push(err49);
              }
              errors++;
            }
            for (const key4 in data17) {
              if (!func1.call(schema32.properties.steps.items.properties, key4)) {
                const err50 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key4 }, message: "must NOT have additional properties" };
                if (vErrors === null) {
                  vErrors = [err50];
                } else {
                  vErrors.push(err50);
                }
                errors++;
              }
            }
            if (data17.id !== void 0) {
              let data18 = data17.id;
              if (typeof data18 === "string") {
                if (!pattern4.test(data18)) {
                  const err51 = { instancePath: instancePath + "/steps/" + i2 + "/id", schemaPath: "#/properties/steps/items/properties/id/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z_][A-Za-z0-9_.-]*$" }, message: 'must match pattern "^[A-Za-z_][A-Za-z0-9_.-]*$"' };
                  if (vErrors === null) {
                    vErrors = [err51];
                  } else {
                    vErrors.push(err51);
                  }
                  errors++;
                }
              } else {
                const err52 = { instancePath: instancePath + "/steps/" + i2 + "/id", schemaPath: "#/properties/steps/items/properties/id/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err52];
                } else {
                  vErrors.push(err52);
                }
                errors++;
              }
            }
            if (data17.type !== void 0) {
              let data19 = data17.type;
              if (!(data19 === "rust_compiler_invocation" || data19 === "build_script_run" || data19 === "link")) {
                const err53 = { instancePath: instancePath + "/steps/" + i2 + "/type", schemaPath: "#/properties/steps/items/properties/type/enum", keyword: "enum", params: { allowedValues: schema32.properties.steps.items.properties.type.enum }, message: "must be equal to one of the allowed values" };
                if (vErrors === null) {
                  vErrors = [err53];
                } else {
                  vErrors.push(err53);
                }
                errors++;
              }
            }
            if (data17.crate !== void 0) {
              if (typeof data17.crate !== "string") {
                const err54 = { instancePath: instancePath + "/steps/" + i2 + "/crate", schemaPath: "#/properties/steps/items/properties/crate/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err54];
                } else {
                  vErrors.push(err54);
                }
                errors++;
              }
            }
            if (data17.kind !== void 0) {
              let data21 = data17.kind;
              if (!(data21 === "lib" || data21 === "bin" || data21 === "proc-macro" || data21 === "build-script" || data21 === "build-script-run" || data21 === "link" || data21 === "other")) {
                const err55 = { instancePath: instancePath + "/steps/" + i2 + "/kind", schemaPath: "#/properties/steps/items/properties/kind/enum", keyword: "enum", params: { allowedValues: schema32.properties.steps.items.properties.kind.enum }, message: "must be equal to one of the allowed values" };
                if (vErrors === null) {
                  vErrors = [err55];
                } else {
                  vErrors.push(err55);
                }
                errors++;
              }
            }
            if (data17.deps !== void 0) {
              let data22 = data17.deps;
              if (Array.isArray(data22)) {
                const len3 = data22.length;
                for (let i3 = 0; i3 < len3; i3++) {
                  if (typeof data22[i3] !== "string") {
                    const err56 = { instancePath: instancePath + "/steps/" + i2 + "/deps/" + i3, schemaPath: "#/properties/steps/items/properties/deps/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err56];
                    } else {
                      vErrors.push(err56);
                    }
                    errors++;
                  }
                }
                let i4 = data22.length;
                let j0;
                if (i4 > 1) {
                  const indices0 = {};
                  for (; i4--; ) {
                    let item0 = data22[i4];
                    if (typeof item0 !== "string") {
                      continue;
                    }
                    if (typeof indices0[item0] == "number") {
                      j0 = indices0[item0];
                      const err57 = { instancePath: instancePath + "/steps/" + i2 + "/deps", schemaPath: "#/properties/steps/items/properties/deps/uniqueItems", keyword: "uniqueItems", params: { i: i4, j: j0 }, message: "must NOT have duplicate items (items ## " + j0 + " and " + i4 + " are identical)" };
                      if (vErrors === null) {
                        vErrors = [err57];
                      } else {
                        vErrors.push(err57);
                      }
                      errors++;
                      break;
                    }
                    indices0[item0] = i4;
                  }
                }
              } else {
                const err58 = { instancePath: instancePath + "/steps/" + i2 + "/deps", schemaPath: "#/properties/steps/items/properties/deps/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err58];
                } else {
                  vErrors.push(err58);
                }
                errors++;
              }
            }
            if (data17.outputs !== void 0) {
              let data24 = data17.outputs;
              if (Array.isArray(data24)) {
                const len4 = data24.length;
                for (let i5 = 0; i5 < len4; i5++) {
                  let data25 = data24[i5];
                  if (typeof data25 === "string") {
                    if (!pattern5.test(data25)) {
                      const err59 = { instancePath: instancePath + "/steps/" + i2 + "/outputs/" + i5, schemaPath: "#/properties/steps/items/properties/outputs/items/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                      if (vErrors === null) {
                        vErrors = [err59];
                      } else {
                        vErrors.push(err59);
                      }
                      errors++;
                    }
                  } else {
                    const err60 = { instancePath: instancePath + "/steps/" + i2 + "/outputs/" + i5, schemaPath: "#/properties/steps/items/properties/outputs/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err60];
                    } else {
                      vErrors.push(err60);
                    }
                    errors++;
                  }
                }
              } else {
                const err61 = { instancePath: instancePath + "/steps/" + i2 + "/outputs", schemaPath: "#/properties/steps/items/properties/outputs/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err61];
                } else {
                  vErrors.push(err61);
                }
                errors++;
              }
            }
            if (data17.sources !== void 0) {
              let data26 = data17.sources;
              if (Array.isArray(data26)) {
                const len5 = data26.length;
                for (let i6 = 0; i6 < len5; i6++) {
                  let data27 = data26[i6];
                  if (typeof data27 === "string") {
                    if (!pattern5.test(data27)) {
                      const err62 = { instancePath: instancePath + "/steps/" + i2 + "/sources/" + i6, schemaPath: "#/properties/steps/items/properties/sources/items/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                      if (vErrors === null) {
                        vErrors = [err62];
                      } else {
                        vErrors.push(err62);
                      }
                      errors++;
                    }
                  } else {
                    const err63 = { instancePath: instancePath + "/steps/" + i2 + "/sources/" + i6, schemaPath: "#/properties/steps/items/properties/sources/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err63];
                    } else {
                      vErrors.push(err63);
                    }
                    errors++;
                  }
                }
              } else {
                const err64 = { instancePath: instancePath + "/steps/" + i2 + "/sources", schemaPath: "#/properties/steps/items/properties/sources/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err64];
                } else {
                  vErrors.push(err64);
                }
                errors++;
              }
            }
            if (data17.env_deps !== void 0) {
              let data28 = data17.env_deps;
              if (Array.isArray(data28)) {
                const len6 = data28.length;
                for (let i7 = 0; i7 < len6; i7++) {
                  if (typeof data28[i7] !== "string") {
                    const err65 = { instancePath: instancePath + "/steps/" + i2 + "/env_deps/" + i7, schemaPath: "#/properties/steps/items/properties/env_deps/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err65];
                    } else {
                      vErrors.push(err65);
                    }
                    errors++;
                  }
                }
              } else {
                const err66 = { instancePath: instancePath + "/steps/" + i2 + "/env_deps", schemaPath: "#/properties/steps/items/properties/env_deps/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err66];
                } else {
                  vErrors.push(err66);
                }
                errors++;
              }
            }
            if (data17.cwd !== void 0) {
              let data30 = data17.cwd;
              if (typeof data30 === "string") {
                if (!pattern5.test(data30)) {
                  const err67 = { instancePath: instancePath + "/steps/" + i2 + "/cwd", schemaPath: "#/properties/steps/items/properties/cwd/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                  if (vErrors === null) {
                    vErrors = [err67];
                  } else {
                    vErrors.push(err67);
                  }
                  errors++;
                }
              } else {
                const err68 = { instancePath: instancePath + "/steps/" + i2 + "/cwd", schemaPath: "#/properties/steps/items/properties/cwd/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err68];
                } else {
                  vErrors.push(err68);
                }
                errors++;
              }
            }
            if (data17.duration_ms !== void 0) {
              let data31 = data17.duration_ms;
              if (!(typeof data31 == "number" && (!(data31 % 1) && !isNaN(data31)) && isFinite(data31))) {
                const err69 = { instancePath: instancePath + "/steps/" + i2 + "/duration_ms", schemaPath: "#/properties/steps/items/properties/duration_ms/type", keyword: "type", params: { type: "integer" }, message: "must be integer" };
                if (vErrors === null) {
                  vErrors = [err69];
                } else {
                  vErrors.push(err69);
                }
                errors++;
              }
              if (typeof data31 == "number" && isFinite(data31)) {
                if (data31 < 0 || isNaN(data31)) {
                  const err70 = { instancePath: instancePath + "/steps/" + i2 + "/duration_ms", schemaPath: "#/properties/steps/items/properties/duration_ms/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0" };
                  if (vErrors === null) {
                    vErrors = [err70];
                  } else {
                    vErrors.push(err70);
                  }
                  errors++;
                }
              }
            }
            if (data17.exit_code !== void 0) {
              let data32 = data17.exit_code;
              if (!(typeof data32 == "number" && (!(data32 % 1) && !isNaN(data32)) && isFinite(data32)) && data32 !== null) {
                const err71 = { instancePath: instancePath + "/steps/" + i2 + "/exit_code", schemaPath: "#/properties/steps/items/properties/exit_code/type", keyword: "type", params: { type: schema32.properties.steps.items.properties.exit_code.type }, message: "must be integer,null" };
                if (vErrors === null) {
                  vErrors = [err71];
                } else {
                  vErrors.push(err71);
                }
                errors++;
              }
            }
            if (data17.stage !== void 0) {
              let data33 = data17.stage;
              if (!(typeof data33 == "number" && (!(data33 % 1) && !isNaN(data33)) && isFinite(data33)) && data33 !== null) {
                const err72 = { instancePath: instancePath + "/steps/" + i2 + "/stage", schemaPath: "#/properties/steps/items/properties/stage/type", keyword: "type", params: { type: schema32.properties.steps.items.properties.stage.type }, message: "must be integer,null" };
                if (vErrors === null) {
                  vErrors = [err72];
                } else {
                  vErrors.push(err72);
                }
                errors++;
              }
              if (typeof data33 == "number" && isFinite(data33)) {
                if (data33 < 0 || isNaN(data33)) {
                  const err73 = { instancePath: instancePath + "/steps/" + i2 + "/stage", schemaPath: "#/properties/steps/items/properties/stage/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0" };
                  if (vErrors === null) {
                    vErrors = [err73];
                  } else {
                    vErrors.push(err73);
                  }
                  errors++;
                }
              }
            }
            if (data17.env_names !== void 0) {
              let data34 = data17.env_names;
              if (Array.isArray(data34)) {
                const len7 = data34.length;
                for (let i8 = 0; i8 < len7; i8++) {
                  if (typeof data34[i8] !== "string") {
                    const err74 = { instancePath: instancePath + "/steps/" + i2 + "/env_names/" + i8, schemaPath: "#/properties/steps/items/properties/env_names/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err74];
                    } else {
                      vErrors.push(err74);
                    }
                    errors++;
                  }
                }
              } else {
                const err75 = { instancePath: instancePath + "/steps/" + i2 + "/env_names", schemaPath: "#/properties/steps/items/properties/env_names/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err75];
                } else {
                  vErrors.push(err75);
                }
                errors++;
              }
            }
            if (data17.empty_dirs !== void 0) {
              let data36 = data17.empty_dirs;
              if (Array.isArray(data36)) {
                const len8 = data36.length;
                for (let i9 = 0; i9 < len8; i9++) {
                  let data37 = data36[i9];
                  if (typeof data37 === "string") {
                    if (!pattern5.test(data37)) {
                      const err76 = { instancePath: instancePath + "/steps/" + i2 + "/empty_dirs/" + i9, schemaPath: "#/properties/steps/items/properties/empty_dirs/items/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                      if (vErrors === null) {
                        vErrors = [err76];
                      } else {
                        vErrors.push(err76);
                      }
                      errors++;
                    }
                  } else {
                    const err77 = { instancePath: instancePath + "/steps/" + i2 + "/empty_dirs/" + i9, schemaPath: "#/properties/steps/items/properties/empty_dirs/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err77];
                    } else {
                      vErrors.push(err77);
                    }
                    errors++;
                  }
                }
              } else {
                const err78 = { instancePath: instancePath + "/steps/" + i2 + "/empty_dirs", schemaPath: "#/properties/steps/items/properties/empty_dirs/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err78];
                } else {
                  vErrors.push(err78);
                }
                errors++;
              }
            }
            if (data17.files !== void 0) {
              let data38 = data17.files;
              if (Array.isArray(data38)) {
                const len9 = data38.length;
                for (let i10 = 0; i10 < len9; i10++) {
                  let data39 = data38[i10];
                  if (data39 && typeof data39 == "object" && !Array.isArray(data39)) {
                    if (data39.path === void 0) {
                      const err79 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10, schemaPath: "#/properties/steps/items/properties/files/items/required", keyword: "required", params: { missingProperty: "path" }, message: "must have required property 'path'" };
                      if (vErrors === null) {
                        vErrors = [err79];
                      } else {
                        vErrors.push(err79);
                      }
                      errors++;
                    }
                    if (data39.from === void 0) {
                      const err80 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10, schemaPath: "#/properties/steps/items/properties/files/items/required", keyword: "required", params: { missingProperty: "from" }, message: "must have required property 'from'" };
                      if (vErrors === null) {
                        vErrors = [err80];
                      } else {
                        vErrors.push(err80);
                      }
                      errors++;
                    }
                    for (const key5 in data39) {
                      if (!(key5 === "path" || key5 === "from")) {
                        const err81 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10, schemaPath: "#/properties/steps/items/properties/files/items/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key5 }, message: "must NOT have additional properties" };
                        if (vErrors === null) {
                          vErrors = [err81];
                        } else {
                          vErrors.push(err81);
                        }
                        errors++;
                      }
                    }
                    if (data39.path !== void 0) {
                      let data40 = data39.path;
                      if (typeof data40 === "string") {
                        if (!pattern5.test(data40)) {
                          const err82 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10 + "/path", schemaPath: "#/properties/steps/items/properties/files/items/properties/path/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                          if (vErrors === null) {
                            vErrors = [err82];
                          } else {
                            vErrors.push(err82);
                          }
                          errors++;
                        }
                      } else {
                        const err83 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10 + "/path", schemaPath: "#/properties/steps/items/properties/files/items/properties/path/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                        if (vErrors === null) {
                          vErrors = [err83];
                        } else {
                          vErrors.push(err83);
                        }
                        errors++;
                      }
                    }
                    if (data39.from !== void 0) {
                      let data41 = data39.from;
                      if (typeof data41 !== "string" && data41 !== null) {
                        const err84 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10 + "/from", schemaPath: "#/properties/steps/items/properties/files/items/properties/from/type", keyword: "type", params: { type: schema32.properties.steps.items.properties.files.items.properties.from.type }, message: "must be string,null" };
                        if (vErrors === null) {
                          vErrors = [err84];
                        } else {
                          vErrors.push(err84);
                        }
                        errors++;
                      }
                      if (typeof data41 === "string") {
                        if (!pattern5.test(data41)) {
                          const err85 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10 + "/from", schemaPath: "#/properties/steps/items/properties/files/items/properties/from/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                          if (vErrors === null) {
                            vErrors = [err85];
                          } else {
                            vErrors.push(err85);
                          }
                          errors++;
                        }
                      }
                    }
                  } else {
                    const err86 = { instancePath: instancePath + "/steps/" + i2 + "/files/" + i10, schemaPath: "#/properties/steps/items/properties/files/items/type", keyword: "type", params: { type: "object" }, message: "must be object" };
                    if (vErrors === null) {
                      vErrors = [err86];
                    } else {
                      vErrors.push(err86);
                    }
                    errors++;
                  }
                }
              } else {
                const err87 = { instancePath: instancePath + "/steps/" + i2 + "/files", schemaPath: "#/properties/steps/items/properties/files/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err87];
                } else {
                  vErrors.push(err87);
                }
                errors++;
              }
            }
          } else {
            const err88 = { instancePath: instancePath + "/steps/" + i2, schemaPath: "#/properties/steps/items/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err88];
            } else {
              vErrors.push(err88);
            }
            errors++;
          }
        }
      } else {
        const err89 = { instancePath: instancePath + "/steps", schemaPath: "#/properties/steps/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err89];
        } else {
          vErrors.push(err89);
        }
        errors++;
      }
    }
    if (data.reuse !== void 0) {
      let data42 = data.reuse;
      if (data42 && typeof data42 == "object" && !Array.isArray(data42)) {
        if (data42.changed_sources === void 0) {
          const err90 = { instancePath: instancePath + "/reuse", schemaPath: "#/properties/reuse/required", keyword: "required", params: { missingProperty: "changed_sources" }, message: "must have required property 'changed_sources'" };
          if (vErrors === null) {
            vErrors = [err90];
          } else {
            vErrors.push(err90);
          }
          errors++;
        }
        if (data42.rebuilt_steps === void 0) {
          const err91 = { instancePath: instancePath + "/reuse", schemaPath: "#/properties/reuse/required", keyword: "required", params: { missingProperty: "rebuilt_steps" }, message: "must have required property 'rebuilt_steps'" };
          if (vErrors === null) {
            vErrors = [err91];
          } else {
            vErrors.push(err91);
          }
          errors++;
        }
        for (const key6 in data42) {
          if (!(key6 === "changed_sources" || key6 === "rebuilt_steps")) {
            const err92 = { instancePath: instancePath + "/reuse", schemaPath: "#/properties/reuse/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key6 }, message: "must NOT have additional properties" };
            if (vErrors === null) {
              vErrors = [err92];
            } else {
              vErrors.push(err92);
            }
            errors++;
          }
        }
        if (data42.changed_sources !== void 0) {
          let data43 = data42.changed_sources;
          if (Array.isArray(data43)) {
            const len10 = data43.length;
            for (let i11 = 0; i11 < len10; i11++) {
              let data44 = data43[i11];
              if (typeof data44 === "string") {
                if (!pattern5.test(data44)) {
                  const err93 = { instancePath: instancePath + "/reuse/changed_sources/" + i11, schemaPath: "#/properties/reuse/properties/changed_sources/items/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                  if (vErrors === null) {
                    vErrors = [err93];
                  } else {
                    vErrors.push(err93);
                  }
                  errors++;
                }
              } else {
                const err94 = { instancePath: instancePath + "/reuse/changed_sources/" + i11, schemaPath: "#/properties/reuse/properties/changed_sources/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err94];
                } else {
                  vErrors.push(err94);
                }
                errors++;
              }
            }
          } else {
            const err95 = { instancePath: instancePath + "/reuse/changed_sources", schemaPath: "#/properties/reuse/properties/changed_sources/type", keyword: "type", params: { type: "array" }, message: "must be array" };
            if (vErrors === null) {
              vErrors = [err95];
            } else {
              vErrors.push(err95);
            }
            errors++;
          }
        }
        if (data42.rebuilt_steps !== void 0) {
          let data45 = data42.rebuilt_steps;
          if (Array.isArray(data45)) {
            const len11 = data45.length;
            for (let i12 = 0; i12 < len11; i12++) {
              if (typeof data45[i12] !== "string") {
                const err96 = { instancePath: instancePath + "/reuse/rebuilt_steps/" + i12, schemaPath: "#/properties/reuse/properties/rebuilt_steps/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err96];
                } else {
                  vErrors.push(err96);
                }
                errors++;
              }
            }
          } else {
            const err97 = { instancePath: instancePath + "/reuse/rebuilt_steps", schemaPath: "#/properties/reuse/properties/rebuilt_steps/type", keyword: "type", params: { type: "array" }, message: "must be array" };
            if (vErrors === null) {
              vErrors = [err97];
            } else {
              vErrors.push(err97);
            }
            errors++;
          }
        }
      } else {
        const err98 = { instancePath: instancePath + "/reuse", schemaPath: "#/properties/reuse/type", keyword: "type", params: { type: "object" }, message: "must be object" };
        if (vErrors === null) {
          vErrors = [err98];
        } else {
          vErrors.push(err98);
        }
        errors++;
      }
    }
    if (data.artifacts !== void 0) {
      let data47 = data.artifacts;
      if (Array.isArray(data47)) {
        const len12 = data47.length;
        for (let i13 = 0; i13 < len12; i13++) {
          let data48 = data47[i13];
          if (data48 && typeof data48 == "object" && !Array.isArray(data48)) {
            if (data48.path === void 0) {
              const err99 = { instancePath: instancePath + "/artifacts/" + i13, schemaPath: "#/properties/artifacts/items/required", keyword: "required", params: { missingProperty: "path" }, message: "must have required property 'path'" };
              if (vErrors === null) {
                vErrors = [err99];
              } else {
                vErrors.push(err99);
              }
              errors++;
            }
            if (data48.step === void 0) {
              const err100 = { instancePath: instancePath + "/artifacts/" + i13, schemaPath: "#/properties/artifacts/items/required", keyword: "required", params: { missingProperty: "step" }, message: "must have required property 'step'" };
              if (vErrors === null) {
                vErrors = [err100];
              } else {
                vErrors.push(err100);
              }
              errors++;
            }
            if (data48.from === void 0) {
              const err101 = { instancePath: instancePath + "/artifacts/" + i13, schemaPath: "#/properties/artifacts/items/required", keyword: "required", params: { missingProperty: "from" }, message: "must have required property 'from'" };
              if (vErrors === null) {
                vErrors = [err101];
              } else {
                vErrors.push(err101);
              }
              errors++;
            }
            for (const key7 in data48) {
              if (!(key7 === "path" || key7 === "step" || key7 === "from")) {
                const err102 = { instancePath: instancePath + "/artifacts/" + i13, schemaPath: "#/properties/artifacts/items/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key7 }, message: "must NOT have additional properties" };
                if (vErrors === null) {
                  vErrors = [err102];
                } else {
                  vErrors.push(err102);
                }
                errors++;
              }
            }
            if (data48.path !== void 0) {
              let data49 = data48.path;
              if (typeof data49 === "string") {
                if (!pattern5.test(data49)) {
                  const err103 = { instancePath: instancePath + "/artifacts/" + i13 + "/path", schemaPath: "#/properties/artifacts/items/properties/path/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                  if (vErrors === null) {
                    vErrors = [err103];
                  } else {
                    vErrors.push(err103);
                  }
                  errors++;
                }
              } else {
                const err104 = { instancePath: instancePath + "/artifacts/" + i13 + "/path", schemaPath: "#/properties/artifacts/items/properties/path/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err104];
                } else {
                  vErrors.push(err104);
                }
                errors++;
              }
            }
            if (data48.step !== void 0) {
              if (typeof data48.step !== "string") {
                const err105 = { instancePath: instancePath + "/artifacts/" + i13 + "/step", schemaPath: "#/properties/artifacts/items/properties/step/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err105];
                } else {
                  vErrors.push(err105);
                }
                errors++;
              }
            }
            if (data48.from !== void 0) {
              let data51 = data48.from;
              if (typeof data51 === "string") {
                if (!pattern5.test(data51)) {
                  const err106 = { instancePath: instancePath + "/artifacts/" + i13 + "/from", schemaPath: "#/properties/artifacts/items/properties/from/pattern", keyword: "pattern", params: { pattern: "^/" }, message: 'must match pattern "^/"' };
                  if (vErrors === null) {
                    vErrors = [err106];
                  } else {
                    vErrors.push(err106);
                  }
                  errors++;
                }
              } else {
                const err107 = { instancePath: instancePath + "/artifacts/" + i13 + "/from", schemaPath: "#/properties/artifacts/items/properties/from/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err107];
                } else {
                  vErrors.push(err107);
                }
                errors++;
              }
            }
          } else {
            const err108 = { instancePath: instancePath + "/artifacts/" + i13, schemaPath: "#/properties/artifacts/items/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err108];
            } else {
              vErrors.push(err108);
            }
            errors++;
          }
        }
      } else {
        const err109 = { instancePath: instancePath + "/artifacts", schemaPath: "#/properties/artifacts/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err109];
        } else {
          vErrors.push(err109);
        }
        errors++;
      }
    }
  } else {
    const err110 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object" };
    if (vErrors === null) {
      vErrors = [err110];
    } else {
      vErrors.push(err110);
    }
    errors++;
  }
  validate21.errors = vErrors;
  return errors === 0;
}
validate21.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };

// src/util/assets-dir.ts
import { existsSync } from "node:fs";
import { dirname as dirname2, join } from "node:path";
import { fileURLToPath } from "node:url";
var cached = null;
function assetsDir() {
  if (cached) return cached;
  let dir = dirname2(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname2(dir)) {
    for (const candidate of [join(dir, "assets"), join(dir, "src", "assets")]) {
      if (existsSync(join(candidate, "recorder", "rustc-wrapper"))) {
        cached = candidate;
        return candidate;
      }
    }
  }
  throw new Error(
    `rust-bootstrap-nix: its assets (recorder scripts, schemas, Nix library) were not found above ${fileURLToPath(import.meta.url)}`
  );
}
function nixFlakeDir() {
  return join(dirname2(dirname2(assetsDir())), "nix");
}

// src/metadata/schema.ts
var VALIDATORS = { record, plan };
function validate(name, value) {
  const v = VALIDATORS[name];
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${name}${e.instancePath || ""}: ${e.message ?? "invalid"}`);
}

// src/metadata/dir.ts
var METADATA_FILES = {
  config: "config.toml",
  records: "invocations.jsonl",
  plan: "plan.json",
  summary: "summary.md",
  /** The generated flake's directory. */
  flake: "flake",
  /** x.py's build dir (never uploaded: the artifact leaves it out). */
  xpyBuild: "x.py-build"
};
function metadataPath(dir, file) {
  return join2(dir, METADATA_FILES[file]);
}
function toJsonl(records) {
  return records.map((r) => `${JSON.stringify(r)}
`).join("");
}
function writeRecordsAndPlan(dir, records, plan2) {
  writeFileSync(metadataPath(dir, "records"), toJsonl(records));
  writeFileSync(metadataPath(dir, "plan"), `${JSON.stringify(plan2, null, 2)}
`);
}
function writeConfigToml(dir, text) {
  mkdirSync(dir, { recursive: true });
  const path = metadataPath(dir, "config");
  writeFileSync(path, text);
  return path;
}
function readConfigToml(dir) {
  const path = metadataPath(dir, "config");
  return existsSync2(path) ? readFileSync(path, "utf8") : "";
}
function writeSummary(dir, text, make = false) {
  if (make) mkdirSync(dir, { recursive: true });
  writeFileSync(metadataPath(dir, "summary"), text);
}
var MetadataProblem = class extends Error {
  constructor(file, kind, what) {
    super(`${file} ${what}`);
    this.file = file;
    this.kind = kind;
    this.what = what;
  }
  file;
  kind;
  what;
};
function parseJson(file, text, line) {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /at position (\d+)/.exec(e.message);
    const offset = at ? Number(at[1]) : text.length;
    const before = text.slice(0, offset);
    const row = (line ?? 1) + (before.match(/\n/g)?.length ?? 0);
    const column = offset - before.lastIndexOf("\n");
    const where = at ? `line ${row}, column ${column}` : `its end (line ${row}): it is cut short`;
    throw new MetadataProblem(file, "unreadable", `is not valid JSON at ${where}`);
  }
}
function readText(file) {
  const problem = readableFileProblem(file);
  if (problem) throw new MetadataProblem(file, "unreadable", problem);
  return readFileSync(file, "utf8");
}
function readRecordsAndPlan(dir) {
  const planPath = metadataPath(dir, "plan");
  const recordsPath = metadataPath(dir, "records");
  if (!existsSync2(planPath)) throw new MetadataProblem(planPath, "missing", "does not exist");
  if (!existsSync2(recordsPath))
    throw new MetadataProblem(
      recordsPath,
      "missing",
      "is missing beside plan.json (an emit writes both)"
    );
  const plan2 = parseJson(planPath, readText(planPath));
  const planProblems = validate("plan", plan2);
  if (planProblems.length > 0)
    throw new MetadataProblem(planPath, "schema", `does not match its schema (${planProblems[0]})`);
  const records = [];
  for (const [i, line] of readText(recordsPath).split("\n").entries()) {
    if (!line.trim()) continue;
    const record2 = parseJson(recordsPath, line, i + 1);
    const problems = validate("record", record2);
    if (problems.length > 0)
      throw new MetadataProblem(
        recordsPath,
        "schema",
        `line ${i + 1} does not match its schema (${problems[0]})`
      );
    records.push(record2);
  }
  const ids = new Set(records.map((r) => r.id));
  const missing = plan2.steps.find((s) => s.type !== "link" && !ids.has(s.id));
  if (missing)
    throw new MetadataProblem(
      recordsPath,
      "mismatch",
      `has no record of plan step ${missing.id} (plan.json is from another emit)`
    );
  return { records, plan: plan2 };
}

export {
  isWithin,
  readableDirProblem,
  readableFileProblem,
  writableDirProblem,
  assetsDir,
  nixFlakeDir,
  validate,
  METADATA_FILES,
  metadataPath,
  writeRecordsAndPlan,
  writeConfigToml,
  readConfigToml,
  writeSummary,
  MetadataProblem,
  readRecordsAndPlan
};
