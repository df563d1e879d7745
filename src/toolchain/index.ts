// The toolchain stage: parse the `toolchain` input, realise it, and say what x.py needs.
export {
  addSysrootToStore,
  currentNixSystem,
  NIX_FEATURES,
  type NixSystem,
  type ResolvedToolchain,
  resolveSystemToolchain,
  resolveToolchain,
  type StoreSysroot,
  writeToolchainFlake,
} from './resolve.js';
export {
  bootstrapCompilerProblem,
  type NixToolchainSpec,
  parseToolchain,
  TOOLCHAIN_ACCEPTS,
  ToolchainInputError,
  type ToolchainSpec,
} from './spec.js';
export {
  BUILD_SECTION_KEYS,
  hoistBuildKeys,
  inspectRustTree,
  isRustTree,
  type RustTreeInfo,
  TOP_LEVEL_KEYS,
  TOP_LEVEL_TABLES,
  XpyConfigError,
  xpyConfig,
} from './xpy.js';
