// Playwright uses the system Chromium where there is one (Debian's package); elsewhere it
// installs its own browser once.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("/usr/bin/chromium")) {
  execSync("npx playwright install chromium", { stdio: "inherit" });
}
