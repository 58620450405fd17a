'use strict';
// A strict OCPP central system that is not FleetSim's, for 1.6-J and 2.0.1 on one port: ocpp-rpc in strict mode checks
// every message, in both directions, against the OCA schemas of the connection's version (1.6 core + security
// whitepaper, 2.0.1). A test drives it over stdin/stdout, one JSON object a line; see README.md next to this file for the
// commands and events.
//
//   node strict-csms.js <port> [subprotocols]   (0 = any free port, reported in the "listening" event; subprotocols:
//                                                comma-separated, default "ocpp1.6,ocpp2.0.1")

const readline = require('readline');
const { RPCServer, createRPCError } = require('ocpp-rpc');

const port = Number(process.argv[2] ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`usage: node strict-csms.js <port 0-65535> [subprotocols], got '${process.argv[2]}'\n`);
    process.exit(2);
}
const knownProtocols = ['ocpp1.6', 'ocpp2.0.1'];
const protocols = (process.argv[3] ?? knownProtocols.join(',')).split(',').map((p) => p.trim()).filter((p) => p);
const unknownProtocol = protocols.find((p) => !knownProtocols.includes(p));
if (protocols.length === 0 || unknownProtocol !== undefined) {
    process.stderr.write(`subprotocols must be some of ${knownProtocols.join(', ')}, got '${process.argv[3]}'\n`);
    process.exit(2);
}

function emit(event) {
    process.stdout.write(JSON.stringify(event) + '\n');
}

const clients = new Map();         // chargeBoxId -> the RPCServerClient of its current connection
const passwords = new Map();       // chargeBoxId -> the Basic-auth password it must present (none: no auth required)
const bootByChargeBox = new Map(); // chargeBoxId -> {status, interval}
let defaultBoot = { status: 'Accepted', interval: 300 };
let nextTransactionId = 1;

const now = () => new Date().toISOString();
const accepted = { status: 'Accepted' };

// One sensible, schema-valid answer per charge-point-initiated action (1.6 core profiles + security whitepaper).
const answers16 = {
    BootNotification: ({ identity }) => {
        const boot = bootByChargeBox.get(identity) ?? defaultBoot;
        return { status: boot.status, currentTime: now(), interval: boot.interval };
    },
    Heartbeat: () => ({ currentTime: now() }),
    Authorize: () => ({ idTagInfo: accepted }),
    StartTransaction: () => ({ transactionId: nextTransactionId++, idTagInfo: accepted }),
    StopTransaction: ({ params }) => (params.idTag ? { idTagInfo: accepted } : {}),
    StatusNotification: () => ({}),
    MeterValues: () => ({}),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    DiagnosticsStatusNotification: () => ({}),
    FirmwareStatusNotification: () => ({}),
    SecurityEventNotification: () => ({}),
    SignCertificate: () => ({ status: 'Accepted' }),
    LogStatusNotification: () => ({}),
    SignedFirmwareStatusNotification: () => ({}),
};

// One sensible, schema-valid answer per station-initiated OCPP 2.0.1 action. Every token is Accepted; there is no
// ISO 15118 certificate service (Failed, with the reason).
const empty = () => ({});
const answers201 = {
    BootNotification: ({ identity }) => {
        const boot = bootByChargeBox.get(identity) ?? defaultBoot;
        return { status: boot.status, currentTime: now(), interval: boot.interval };
    },
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: empty,
    Authorize: () => ({ idTokenInfo: accepted }),
    TransactionEvent: ({ params }) => (params.idToken ? { idTokenInfo: accepted } : {}),
    MeterValues: empty,
    NotifyReport: empty,
    NotifyEvent: empty,
    NotifyMonitoringReport: empty,
    NotifyChargingLimit: empty,
    ClearedChargingLimit: empty,
    ReportChargingProfiles: empty,
    NotifyEVChargingNeeds: () => ({ status: 'Accepted' }),
    NotifyEVChargingSchedule: () => ({ status: 'Accepted' }),
    NotifyCustomerInformation: empty,
    NotifyDisplayMessages: empty,
    LogStatusNotification: empty,
    FirmwareStatusNotification: empty,
    PublishFirmwareStatusNotification: empty,
    SecurityEventNotification: empty,
    SignCertificate: () => ({ status: 'Accepted' }),
    Get15118EVCertificate: () => ({ status: 'Failed', statusInfo: { reasonCode: 'NotSupported' }, exiResponse: '' }),
    GetCertificateStatus: () => ({ status: 'Failed', statusInfo: { reasonCode: 'NotSupported' } }),
    ReservationStatusUpdate: empty,
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
};
const answersByProtocol = { 'ocpp1.6': answers16, 'ocpp2.0.1': answers201 };
const versionOf = { 'ocpp1.6': '1.6', 'ocpp2.0.1': '2.0.1' };

const server = new RPCServer({ protocols, strictMode: true, callTimeoutMs: 15000 });

server.auth((accept, reject, handshake) => {
    // The client's order is its preference: the first subprotocol it offers that is served.
    const protocol = [...handshake.protocols].find((p) => protocols.includes(p));
    if (protocol === undefined) {
        emit({ event: 'rejected', chargeBoxId: handshake.identity, basicAuth: handshake.password !== undefined, reason: `no served subprotocol among [${[...handshake.protocols].join(', ')}]` });
        reject(400, 'Bad Request');
        return;
    }
    const expected = passwords.get(handshake.identity);
    const basicAuth = handshake.password !== undefined;
    if (expected !== undefined && (!basicAuth || !handshake.password.equals(Buffer.from(expected, 'utf8')))) {
        // Never the password itself: only whether one came and whether it was right.
        emit({ event: 'rejected', chargeBoxId: handshake.identity, basicAuth, reason: basicAuth ? 'wrong password' : 'no Basic auth' });
        reject(401, 'Unauthorized');
        return;
    }
    accept({ basicAuth }, protocol);
});

server.on('client', (client) => {
    const chargeBoxId = client.identity;
    clients.set(chargeBoxId, client);
    emit({ event: 'connect', chargeBoxId, protocol: client.protocol, basicAuth: client.session.basicAuth });

    // Every CALL from the charge point, valid or not, before it is handled.
    client.on('call', ({ outbound, payload }) => {
        if (!outbound) {
            const [, messageId, action, params] = payload;
            emit({ event: 'call', chargeBoxId, action, payload: params, messageId });
        }
    });
    // The answer this CSMS gave to each of them (e.g. the transactionId of a StartTransaction).
    client.on('callResult', ({ outbound, messageId, method, result }) => {
        if (!outbound) {
            emit({ event: 'answered', chargeBoxId, action: method, response: result, messageId });
        }
    });
    client.on('strictValidationFailure', ({ messageId, method, params, result, error, outbound, isCall }) => {
        emit({
            event: 'invalid',
            chargeBoxId,
            // "charge point": FleetSim sent it (a defect to report); "csms": this peer or the test built it.
            from: outbound ? 'csms' : 'charge point',
            kind: isCall ? 'call' : 'result',
            action: method,
            messageId,
            message: isCall ? params : result,
            code: error.rpcErrorCode ?? 'GenericError',
            error: error.message,
        });
    });
    client.on('badMessage', ({ buffer, error }) => {
        emit({ event: 'badMessage', chargeBoxId, error: error.message, text: buffer.toString('utf8').slice(0, 500) });
    });
    client.on('close', ({ code, reason }) => {
        if (clients.get(chargeBoxId) === client) {
            clients.delete(chargeBoxId);
        }
        emit({ event: 'disconnect', chargeBoxId, code, reason });
    });

    for (const [action, answer] of Object.entries(answersByProtocol[client.protocol])) {
        client.handle(action, ({ params }) => answer({ identity: chargeBoxId, params }));
    }
    client.handle(({ method }) => {
        throw createRPCError('NotImplemented', `${method} is not a charge-point-initiated OCPP ${versionOf[client.protocol]} action`);
    });
});

function clientOf(chargeBoxId) {
    const client = clients.get(chargeBoxId);
    if (!client) {
        throw new Error(`${chargeBoxId} is not connected`);
    }
    return client;
}

function checkBoot(status, interval) {
    if (!['Accepted', 'Pending', 'Rejected'].includes(status)) {
        throw new Error(`setBoot: status must be Accepted, Pending or Rejected, got '${status}'`);
    }
    if (!Number.isInteger(interval) || interval < 0) {
        throw new Error(`setBoot: interval must be a whole number of seconds, got '${interval}'`);
    }
}

const commands = {
    async call({ id, chargeBoxId, action, payload, timeoutMs }) {
        try {
            const response = await clientOf(chargeBoxId).call(action, payload ?? {}, { callTimeoutMs: timeoutMs ?? 15000 });
            emit({ event: 'result', id, response });
        } catch (error) {
            emit({ event: 'error', id, code: error.rpcErrorCode ?? error.name ?? 'Error', message: error.message, details: error.details ?? null });
        }
    },
    setBoot({ id, chargeBoxId, status, interval }) {
        const boot = { status, interval: interval ?? (status === 'Accepted' ? 300 : 60) };
        checkBoot(boot.status, boot.interval);
        if (chargeBoxId) {
            bootByChargeBox.set(chargeBoxId, boot);
        } else {
            defaultBoot = boot;
        }
        emit({ event: 'ok', id });
    },
    setPassword({ id, chargeBoxId, password }) {
        if (password === null || password === undefined) {
            passwords.delete(chargeBoxId);
        } else {
            passwords.set(chargeBoxId, String(password));
        }
        emit({ event: 'ok', id });
    },
    // A frame no OCPP message is: binary (base64 given) or arbitrary text, straight onto the charge point's socket.
    raw({ id, chargeBoxId, base64, text }) {
        const client = clientOf(chargeBoxId);
        if (base64 !== undefined) {
            client.sendRaw(Buffer.from(base64, 'base64'));   // ws sends a Buffer as a binary frame
        } else if (typeof text === 'string') {
            client.sendRaw(text);
        } else {
            throw new Error('raw: give base64 (a binary frame) or text (a text frame)');
        }
        emit({ event: 'ok', id });
    },
};

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
    if (!line.trim()) {
        return;
    }
    let command;
    try {
        command = JSON.parse(line);
    } catch (error) {
        emit({ event: 'commandError', message: `not JSON: ${error.message}` });
        return;
    }
    const handler = commands[command.cmd];
    if (!handler) {
        emit({ event: 'commandError', id: command.id, message: `unknown command '${command.cmd}'; known: ${Object.keys(commands).join(', ')}` });
        return;
    }
    try {
        await handler(command);
    } catch (error) {
        emit({ event: 'commandError', id: command.id, message: error.message });
    }
}).on('close', async () => {
    // The test closed stdin: it is done with us.
    await server.close({ force: true });
    process.exit(0);
});

server.listen(port, '127.0.0.1').then((http) => {
    emit({ event: 'listening', port: http.address().port });
}, (error) => {
    process.stderr.write(`cannot listen on 127.0.0.1:${port}: ${error.message}\n`);
    process.exit(1);
});
