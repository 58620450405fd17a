#!/usr/bin/env node
// A plain OCPP 1.6-J and 2.0.1 CSMS (both subprotocols on one port, the client's first offered one served) for benchmarks, written on ocpp-rpc (not ours, not FleetSim's embedded CSMS): it answers every
// charge-point CALL at once (or after exactly --hold-ms), counts CALLs, and writes one JSON line per second to stdout:
//   {"t": unix seconds, "calls": CALLs in that second, "byAction": {...}, "clients": connected, "boots": distinct
//    charge points booted so far, "allBootedAt": unix ms when boots first reached --expect (or null),
//    "loopDelayP99Ms": this process's event-loop delay p99 over the second (its own share of any latency)}
// usage: node counting-csms.js --port P [--host 127.0.0.1] [--hold-ms 0] [--expect N] [--heartbeat 60] [--stamps FILE]
// --stamps FILE: one CSV line per CALL received and per answer sent, for tests/benchmarks/lib/attribution.py:
//   in|out,<charge point>,<unique id>,<process.hrtime.bigint() ns: CLOCK_MONOTONIC, the clock FleetSim's call trace uses on Linux>
//   "in" when the frame arrived (ocpp-rpc's inbound 'message' event), "out" when the answer was handed to the socket.
//   `fleetsim csms --hold-ms MS --stamps FILE` writes the same lines, and holds on a thread rather than an event loop whose
//   own delay (loopDelayP99Ms) comes on top of --hold-ms (peer-mix.sh CSMS=embedded).
// Ends on SIGTERM/SIGINT after a last line {"final": true, "totalCalls": ..., "totalByAction": {...}}.
'use strict';
const fs = require('fs');
const path = require('path');
const { monitorEventLoopDelay } = require('perf_hooks');
const { RPCServer } = require(path.join(__dirname, '..', '..', 'node_modules', 'ocpp-rpc'));

function option(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(option('port', '0'));
const host = option('host', '127.0.0.1');
const holdMs = Number(option('hold-ms', '0'));
const expect = Number(option('expect', '0'));
const heartbeat = Number(option('heartbeat', '60'));
const stampsFile = option('stamps', null);
const stampsOut = stampsFile ? fs.createWriteStream(stampsFile) : null;   // written off the event loop, in small batches
let stamps = [];

function flushStamps() {
    if (stampsOut && stamps.length > 0) {
        stampsOut.write(stamps.join(''));
        stamps = [];
    }
}

const frameHead = /^\[\s*([234])\s*,\s*"([^"]*)"/;

let second = { calls: 0, byAction: {} };
const total = { calls: 0, byAction: {} };
const booted = new Set();
let clients = 0;
let allBootedAt = null;
let nextTransactionId = 1;

function count(action) {
    second.calls++;
    second.byAction[action] = (second.byAction[action] || 0) + 1;
    total.calls++;
    total.byAction[action] = (total.byAction[action] || 0) + 1;
}

const now = () => new Date().toISOString();
const accepted = { status: 'Accepted' };

/** OCPP 2.0.1 answers (the client negotiated ocpp2.0.1). */
function answer201(client, method, params) {
    switch (method) {
        case 'BootNotification':
            booted.add(client.identity);
            if (allBootedAt === null && expect > 0 && booted.size >= expect) {
                allBootedAt = Date.now();
            }
            return { status: 'Accepted', currentTime: now(), interval: heartbeat };
        case 'Heartbeat':
            return { currentTime: now() };
        case 'Authorize':
            return { idTokenInfo: accepted };
        case 'TransactionEvent':
            return params && params.idToken ? { idTokenInfo: accepted } : {};
        case 'DataTransfer':
            return { status: 'Accepted' };
        case 'SignCertificate':
            return { status: 'Accepted' };
        default:
            return {};
    }
}

function answer(client, method, params) {
    if (client.protocol === 'ocpp2.0.1') {
        return answer201(client, method, params);
    }
    switch (method) {
        case 'BootNotification':
            booted.add(client.identity);
            if (allBootedAt === null && expect > 0 && booted.size >= expect) {
                allBootedAt = Date.now();
            }
            return { status: 'Accepted', currentTime: now(), interval: heartbeat };
        case 'Heartbeat':
            return { currentTime: now() };
        case 'Authorize':
            return { idTagInfo: accepted };
        case 'StartTransaction':
            return { transactionId: nextTransactionId++, idTagInfo: accepted };
        case 'StopTransaction':
            return params && params.idTag ? { idTagInfo: accepted } : {};
        case 'DataTransfer':
            return { status: 'Accepted' };
        case 'SignCertificate':
            return { status: 'Accepted' };
        default:
            return {};
    }
}

const server = new RPCServer({ protocols: ['ocpp2.0.1', 'ocpp1.6'], strictMode: false });
server.on('client', client => {
    clients++;
    client.on('close', () => clients--);
    if (stampsFile) {
        client.on('message', ({ message, outbound }) => {
            const at = process.hrtime.bigint();
            const head = frameHead.exec(typeof message === 'string' ? message : message.toString('utf8', 0, 64));
            // inbound CALLs and outbound CALLRESULT/CALLERROR only
            if (head && (head[1] === '2') !== outbound) {
                stamps.push(`${outbound ? 'out' : 'in'},${client.identity},${head[2]},${at}\n`);
            }
        });
    }
    client.handle(({ method, params }) => {
        count(method);
        const reply = answer(client, method, params);
        return holdMs > 0 ? new Promise(resolve => setTimeout(() => resolve(reply), holdMs)) : reply;
    });
});

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

function line(extra) {
    process.stdout.write(JSON.stringify({
        t: Math.floor(Date.now() / 1000), calls: second.calls, byAction: second.byAction, clients,
        boots: booted.size, allBootedAt, loopDelayP99Ms: loop.percentile(99) / 1e6, ...extra,
    }) + '\n');
    second = { calls: 0, byAction: {} };
    loop.reset();
}

server.listen(port, host).then(http => {
    process.stderr.write(`counting-csms listening on ${host}:${http.address().port}\n`);
    const ticker = setInterval(line, 1000);
    const stampTicker = stampsOut ? setInterval(flushStamps, 100) : null;
    const stop = () => {
        clearInterval(ticker);
        line({ final: true, totalCalls: total.calls, totalByAction: total.byAction });
        const closed = server.close({ force: true, awaitPending: false });
        if (stampsOut) {
            clearInterval(stampTicker);
            flushStamps();
            closed.finally(() => stampsOut.end(() => process.exit(0)));
        } else {
            closed.finally(() => process.exit(0));
        }
        setTimeout(() => process.exit(0), 2000).unref();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
});
