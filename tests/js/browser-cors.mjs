// A page on each of two local origins calls the API with fetch() and a bearer token, as an
// SPA does: node browser-cors.mjs <api url> <token> <allowed port> <other port>.
// Prints RESULT {allowed: {data | error}, other: {data | error}}.
import http from "node:http";
import { launch, result } from "./browser.mjs";

const [api, token, allowedPort, otherPort] = process.argv.slice(2);
const page = "<!doctype html><title>SPA</title><p>an app on another origin</p>";
const servers = await Promise.all([allowedPort, otherPort].map((port) => new Promise((resolve) => {
  const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  server.listen(Number(port), "127.0.0.1", () => resolve(server));
})));

const browser = await launch();
const call = async (port) => {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${port}/`);
  const outcome = await tab.evaluate(async (api, token) => {
    try {
      const response = await fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
        body: JSON.stringify({ query: "{ viewer { id } }" }),
      });
      return { status: response.status, body: await response.json() };
    } catch (err) {
      return { error: String(err) };
    }
  }, api, token);
  await tab.close();
  return outcome;
};
const allowed = await call(allowedPort);
const other = await call(otherPort);
await browser.close();
servers.forEach((s) => s.close());
result({ allowed, other });
