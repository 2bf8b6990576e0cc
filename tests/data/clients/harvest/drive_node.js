#!/usr/bin/env node
// One JWT Bearer login through a Node client's own code path. Errors are printed the way each
// package's README shows (console.error of what the callback or promise gave), or left
// uncaught where the package's usage does not catch them; so what is printed is the package's.
//
//   NODE_PATH=$HARVEST/npm/node_modules node drive_node.js CLIENT URL KEYFILE CONSUMER_KEY USERNAME
//   CLIENT: jsforce | jsonwebtoken | salesforce-jwt-bearer-token-flow | sf-jwt-token |
//           node-salesforce-jwt | salesforce-jwt-promise | jose | axios
'use strict';
const fs = require('fs');
const [client, url, keyfile, clientId, username] = process.argv.slice(2);
const aud = 'https://login.salesforce.com';

function fail(err) {
  console.error(err);
  process.exit(1);
}

async function main() {
  if (client === 'jsforce') {
    // jsforce's documented JWT usage: sign with jsonwebtoken, then conn.authorize(grant).
    const jsforce = require('jsforce');
    const jwt = require('jsonwebtoken');
    const privateKey = fs.readFileSync(keyfile, 'utf8');
    const assertion = jwt.sign({ iss: clientId, sub: username, aud, exp: Math.floor(Date.now() / 1000) + 180 },
      privateKey, { algorithm: 'RS256' });
    const conn = new jsforce.Connection({ loginUrl: url });
    const info = await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    console.log('logged in', info.organizationId);
  } else if (client === 'jsonwebtoken') {
    // jsonwebtoken alone: the signing step every Node JWT-bearer client runs first.
    const jwt = require('jsonwebtoken');
    const privateKey = fs.readFileSync(keyfile);
    const assertion = jwt.sign({ iss: clientId, sub: username, aud }, privateKey,
      { algorithm: 'RS256', expiresIn: 180 });
    const res = await fetch(url + '/services/oauth2/token', {
      method: 'POST', body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
    console.log(res.status, await res.text());
    if (!res.ok) process.exit(1);
  } else if (client === 'salesforce-jwt-bearer-token-flow') {
    const jwt = require('salesforce-jwt-bearer-token-flow');
    const privateKey = fs.readFileSync(keyfile).toString('utf8');
    // its README: aud is the login URL, which is also where it posts
    jwt.getToken({ iss: clientId, sub: username, aud: url, privateKey }, (err, response) => {
      if (err) fail(err);
      console.log('logged in', response.instance_url);
    });
  } else if (client === 'sf-jwt-token') {
    const { getToken } = require('sf-jwt-token');
    const privateKey = fs.readFileSync(keyfile).toString('utf8');
    const response = await getToken({ iss: clientId, sub: username, aud: url, privateKey });
    console.log('logged in', response.instance_url);
  } else if (client === 'node-salesforce-jwt') {
    const sfjwt = require('node-salesforce-jwt');
    const privateKey = fs.readFileSync(keyfile).toString('utf8');
    sfjwt.getToken({ clientId, privateKey, user: username, uri: url + '/services/oauth2/token' }, (err, token) => {
      if (err) fail(err);
      console.log('logged in', token.instance_url);
    });
  } else if (client === 'salesforce-jwt-promise') {
    const { getJWTToken } = require('salesforce-jwt-promise');
    const privateKey = fs.readFileSync(keyfile).toString('utf8');
    const token = await getJWTToken({ clientId, privateKey, userName: username, instanceUrl: url });
    console.log('logged in', token.instance_url);
  } else if (client === 'jose') {
    // jose: importPKCS8 + SignJWT, then node's fetch
    const { importPKCS8, SignJWT } = require('jose');
    const key = await importPKCS8(fs.readFileSync(keyfile, 'utf8'), 'RS256');
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(clientId)
      .setSubject(username).setAudience(aud).setExpirationTime('3m').sign(key);
    const res = await fetch(url + '/services/oauth2/token', {
      method: 'POST', body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
    console.log(res.status, await res.text());
    if (!res.ok) process.exit(1);
  } else if (client === 'axios') {
    // jsonwebtoken + axios; the catch prints what such code usually prints:
    // the error's message, then the answer body axios parsed
    const axios = require('axios');
    const jwt = require('jsonwebtoken');
    const assertion = jwt.sign({ iss: clientId, sub: username, aud }, fs.readFileSync(keyfile),
      { algorithm: 'RS256', expiresIn: 180 });
    try {
      const res = await axios.post(url + '/services/oauth2/token', new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }));
      console.log('logged in', res.data.instance_url);
    } catch (err) {
      console.error(String(err));
      if (err.response) console.error(err.response.data);
      process.exit(1);
    }
  } else {
    throw new Error('unknown client ' + client);
  }
}

main();
