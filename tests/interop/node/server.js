#!/usr/bin/env node
// Node socket.io 4.x test server speaking the server side of protocol v1.
// Used only by the interop tests (tests/interop); never shipped. Mirrors ../flask_server.py.
//
//   npm ci --prefix tests/interop/node
//   node tests/interop/node/server.js --port 0 [--token T]
//
// Binds 127.0.0.1 only and prints exactly "listening on http://127.0.0.1:<port>" to stdout
// once the listening socket accepts connections. Logs go to stderr.
//
// - Socket.IO (namespace "/", path "/socket.io"): connect auth {namespace: "default", token: T};
//   the io.use middleware refuses with new Error("unauthorized") on a missing/wrong token when
//   --token is set, and with "unknown namespace" for a dashboard namespace other than "default".
// - GET /api/dashboard/schedule?namespace=default: snapshot {version, items, generated_at} with
//   ETag / If-None-Match -> 304, "Authorization: Bearer T" checked when a token is set
//   (401 missing, 403 wrong), 400 without namespace, 404 for an unknown namespace.
// - POST /_control/change (tests only, no auth): changes one item of the 3-item schedule, bumps
//   the version, emits "dashboard_schedule_updated" as a delta
//   {version, base_version, upserts, deletes, emitted_at_ms} to all clients and returns
//   {"version": <new>, "delta": {...}}.
"use strict";

const http = require("node:http");
const { parseArgs } = require("node:util");
const { Server } = require("socket.io");

const NAMESPACE = "default";
const EVENT = "dashboard_schedule_updated";
const STATUS_CYCLE = ["scheduled", "in_progress", "delayed", "completed"];

function log(message) {
  process.stderr.write(`[node-server] ${message}\n`);
}

function iso(date) {
  // Same format as the Flask server: seconds precision, "Z".
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function createSchedule() {
  const now = new Date();
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = (hours, minutes = 0) => iso(new Date(day + (hours * 60 + minutes) * 60_000));
  const stamp = iso(now);
  return {
    version: 1,
    changes: 0,
    items: [
      {
        id: "item-1",
        title: "Morning briefing",
        start: at(9),
        end: at(9, 30),
        status: "scheduled",
        location: "Room A",
        assignee: "Alice",
        updated_at: stamp,
      },
      {
        id: 2,
        title: "Delivery window",
        start: at(11),
        end: at(12),
        status: "in_progress",
        location: "Dock 3",
        updated_at: stamp,
      },
      {
        id: "item-3",
        title: "Maintenance",
        start: at(14),
        status: "delayed",
        notes: "Waiting for parts",
        priority: "high",
        updated_at: stamp,
      },
    ],
  };
}

function snapshot(schedule) {
  return {
    version: schedule.version,
    items: structuredClone(schedule.items),
    generated_at: iso(new Date()),
  };
}

// Change one item (round robin over the items, cycling its status); return the delta.
function change(schedule) {
  const item = schedule.items[schedule.changes % schedule.items.length];
  schedule.changes += 1;
  const index = STATUS_CYCLE.indexOf(item.status);
  item.status = STATUS_CYCLE[(index + 1) % STATUS_CYCLE.length];
  item.updated_at = iso(new Date());
  const baseVersion = schedule.version;
  schedule.version += 1;
  return {
    version: schedule.version,
    base_version: baseVersion,
    upserts: [structuredClone(item)],
    deletes: [],
    emitted_at_ms: Date.now(),
  };
}

// Weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; "*" matches anything.
function ifNoneMatchMatches(header, etag) {
  if (!header) return false;
  const strip = (tag) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

function sendJson(res, status, body, headers = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(data),
    ...headers,
  });
  res.end(data);
}

function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      token: { type: "string", default: "" },
    },
  });
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log(`invalid --port ${values.port}`);
    process.exit(2);
  }
  const token = values.token;
  const schedule = createSchedule();
  let io = null;

  function handleSchedule(req, res, url) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: "method not allowed" }, { Allow: "GET, HEAD" });
      return;
    }
    if (token) {
      const header = req.headers.authorization || "";
      if (!header) {
        sendJson(res, 401, { error: "unauthorized" }, { "WWW-Authenticate": "Bearer" });
        return;
      }
      if (header !== `Bearer ${token}`) {
        sendJson(res, 403, { error: "forbidden" });
        return;
      }
    }
    const namespace = url.searchParams.get("namespace");
    if (!namespace) {
      sendJson(res, 400, { error: "missing namespace" });
      return;
    }
    if (namespace !== NAMESPACE) {
      sendJson(res, 404, { error: "unknown namespace" });
      return;
    }
    const body = snapshot(schedule);
    const etag = `"v${body.version}"`;
    const headers = { ETag: etag, "Cache-Control": "no-cache" };
    if (ifNoneMatchMatches(req.headers["if-none-match"], etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    sendJson(res, 200, body, headers);
  }

  function handleChange(req, res) {
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "method not allowed" }, { Allow: "POST" });
      return;
    }
    const delta = change(schedule);
    io.emit(EVENT, delta);
    log(`changed: version ${delta.base_version} -> ${delta.version}`);
    sendJson(res, 200, { version: delta.version, delta });
  }

  // socket.io attaches its own "request" listener for /socket.io/ and leaves other paths to us.
  const server = http.createServer((req, res) => {
    req.resume(); // discard any request body
    const url = new URL(req.url, "http://127.0.0.1");
    if (url.pathname === "/api/dashboard/schedule") {
      handleSchedule(req, res, url);
    } else if (url.pathname === "/_control/change") {
      handleChange(req, res);
    } else {
      sendJson(res, 404, { error: "not found" });
    }
  });

  io = new Server(server);
  io.use((socket, next) => {
    const raw = socket.handshake.auth;
    const auth = raw && typeof raw === "object" ? raw : {};
    if (token && auth.token !== token) {
      log("socket connect refused: unauthorized");
      next(new Error("unauthorized"));
      return;
    }
    if ((auth.namespace ?? NAMESPACE) !== NAMESPACE) {
      log(`socket connect refused: unknown namespace ${JSON.stringify(auth.namespace)}`);
      next(new Error("unknown namespace"));
      return;
    }
    next();
  });
  io.on("connection", (socket) => {
    log(`socket connected: ${socket.id}`);
    socket.on("disconnect", (reason) => log(`socket disconnected: ${socket.id} (${reason})`));
  });

  server.on("error", (err) => {
    log(`server error: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, "127.0.0.1", () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
  });

  const shutdown = () => {
    io.close();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main();
