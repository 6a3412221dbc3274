// A Gateway connection from a connection profile, as `provena devnet profile` prints it.
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function loadProfile(path) {
    return JSON.parse(readFileSync(path, 'utf8'));
}

export function newGrpcClient(profile) {
    const options = {};
    let credentials = grpc.credentials.createInsecure();
    if (profile.tls_ca) {
        credentials = grpc.credentials.createSsl(readFileSync(profile.tls_ca));
        if (profile.server_name) {
            options['grpc.ssl_target_name_override'] = profile.server_name;
        }
    }
    return new grpc.Client(profile.endpoint, credentials, options);
}

export function connectGateway(profile, client) {
    return connect({
        client,
        identity: { mspId: profile.msp_id, credentials: readFileSync(profile.cert) },
        signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(profile.key))),
        hash: hash.sha256,
        evaluateOptions: () => ({ deadline: Date.now() + 5000 }),
        endorseOptions: () => ({ deadline: Date.now() + 15000 }),
        submitOptions: () => ({ deadline: Date.now() + 5000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
    });
}
