// Headless Chromium (Debian's, through puppeteer-core) for the browser tests.
import puppeteer from "puppeteer-core";

export async function launch(userDataDir) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
}

export const result = (value) => console.log("RESULT " + JSON.stringify(value));
