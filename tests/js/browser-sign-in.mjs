// One-click sign-in as a newcomer does it, in GraphiQL in headless Chromium:
//   node browser-sign-in.mjs first <base url> <outbox dir> <email> <profile dir>
//     runs requestSignInLink in GraphiQL, opens the link found in the outbox, then runs
//     { viewer { email } }, reloads and runs it again;
//   node browser-sign-in.mjs again <base url> <outbox dir> <email> <profile dir>
//     (same browser profile, the server's clock moved on) runs it once more, then signs out.
// Prints RESULT {…} with what GraphiQL showed each time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, result } from "./browser.mjs";

const [phase, base, outbox, email, profile] = process.argv.slice(2);
const browser = await launch(profile);
const page = await browser.newPage();
const operations = [];
page.on("request", (request) => {
  const body = request.postData();
  if (request.url().endsWith("/graphql") && body) {
    try { operations.push(JSON.parse(body).query.split(/[({]/)[0].trim() || "{ … }"); } catch { /* not JSON */ }
  }
});

const open = (query) => page.goto(base + "/?query=" + encodeURIComponent(query), { waitUntil: "networkidle0" });
const responseText = () => page.evaluate(() => {
  const pane = document.querySelector(".graphiql-response .CodeMirror") || document.querySelector(".graphiql-response");
  return pane ? pane.innerText : "";
});
// Clicks GraphiQL's run button and waits for a response that contains `expected`.
async function run(expected) {
  await page.waitForSelector(".graphiql-execute-button");
  const before = await responseText();
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    (expected, before) => {
      const pane = document.querySelector(".graphiql-response .CodeMirror") || document.querySelector(".graphiql-response");
      const text = pane ? pane.innerText : "";
      return text !== before && text.includes(expected);
    },
    { timeout: 20000 },
    expected,
    before,
  ).catch(() => {});
  return responseText();
}
const banner = () => page.$eval("#who", (el) => el.textContent);

const out = {};
if (phase === "first") {
  await open(`mutation { requestSignInLink(input: {email: "${email}"}) { sent } }`);
  out.requested = await run('"sent": true');
  // The newest mail (file names sort by time); the link is a line of its own.
  const newest = readdirSync(outbox).filter((f) => f.endsWith(".eml")).sort().pop();
  const link = readFileSync(join(outbox, newest), "utf8").split(/\r?\n/)
    .find((line) => line.startsWith("http") && line.includes("/sign-in?token="));
  out.link = link;
  await page.goto(link, { waitUntil: "networkidle0" });
  await page.waitForFunction(() => location.pathname === "/" && document.querySelector(".graphiql-execute-button"), { timeout: 20000 });
  out.landed = page.url();
  out.banner = await banner();
  await open("{ viewer { email } }");
  out.viewer = await run(email);
  await page.reload({ waitUntil: "networkidle0" });
  out.bannerAfterReload = await banner();
  out.viewerAfterReload = await run(email);
} else {
  await open("{ viewer { email } }");
  out.viewerAfterExpiry = await run(email);
  await page.click("#sign-out");
  await page.waitForFunction(() => document.querySelector("#sign-out").hidden, { timeout: 10000 });
  out.bannerAfterSignOut = await banner();
  out.viewerAfterSignOut = await run('"viewer": null');
}
out.operations = operations;
await browser.close();
result(out);
