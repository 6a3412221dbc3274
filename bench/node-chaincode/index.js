'use strict';
// The benchmark transaction of bench/chaincode_kv.py on fabric-contract-api: read a key,
// write it, set an event. Started by `fabric-chaincode-node server --chaincode-address
// HOST:PORT --chaincode-id ID` (chaincode as a service).
const { Contract } = require('fabric-contract-api');

class Kv extends Contract {
    constructor() {
        super('Kv');
    }

    async Put(ctx, key, value) {
        const previous = await ctx.stub.getState(key);
        await ctx.stub.putState(key, Buffer.from(value));
        ctx.stub.setEvent('Put', Buffer.from(key));
        return Buffer.from(previous).toString();
    }

    async Get(ctx, key) {
        return (await ctx.stub.getState(key)).toString();
    }
}

module.exports.contracts = [Kv];
