import { defineConfig } from "vitest/config";

// Integration tests start real containers and the real Lambda emulator; they run one file at a time
// on this 2-core machine so timings of one test do not starve another's containers.
export default defineConfig({
  test: {
    include: ["core/**/*.test.ts", "bench/**/*.test.ts", "targets/**/*.test.ts", "fixtures/**/*.test.ts", "reports/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    reporters: ["default"],
    // The AWS SDK's notice that its 2027 releases need Node 22 (the pinned version runs on Node 20; README
    // "Dependencies") would otherwise repeat once per test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
