// tus-interop.mjs - the standard tus client, tus-js-client (npm, pinned in
// package-lock.json), against rcms-exchange's /v1/uploads over HTTPS with a
// client certificate: a plain upload in chunks, a resume after an abort
// between chunks (same fingerprint, from the server's offset, not 0), a
// resume after an abort in the middle of a PATCH, a checksum mismatch seen
// by the client as a 460 error, termination, and another agency's
// certificate meeting 404.  Run by tests/exchange/tus.sh, which starts the
// exchange and passes:
//
//   TUS_URL             https://127.0.0.1:PORT
//   TUS_CA              the exchange's CA (PEM)
//   TUS_CERT, TUS_KEY   RS-MUP's workstation certificate and key
//   TUS_OTHER_CERT, TUS_OTHER_KEY   PK-MOI's
//   TUS_DATA            the exchange's data folder (to find stored blobs)
//   TUS_TMP             a scratch folder
//
// Prints "PASS: interop: ..." or "FAIL: interop: ... — why" lines; exits 1
// after a failure.
import * as tus from 'tus-js-client'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import { Readable } from 'node:stream'

const env = process.env
for (const k of ['TUS_URL', 'TUS_CA', 'TUS_CERT', 'TUS_KEY', 'TUS_OTHER_CERT',
  'TUS_OTHER_KEY', 'TUS_DATA', 'TUS_TMP']) {
  if (!env[k]) {
    console.log(`FAIL: interop: setup — ${k} is not set`)
    process.exit(1)
  }
}
const BASE = env.TUS_URL
const ENDPOINT = `${BASE}/v1/uploads`
const CA = fs.readFileSync(env.TUS_CA)
fs.mkdirSync(env.TUS_TMP, { recursive: true })

let failed = 0
function pass(name) {
  console.log(`PASS: interop: ${name}`)
}
function fail(name, why) {
  failed++
  console.log(`FAIL: interop: ${name} — ${why}`)
}
function check(name, ok, why) {
  if (ok) pass(name)
  else fail(name, why)
}

// A whole run must not hang the test suite.
const watchdog = setTimeout(() => {
  fail('watchdog', 'still running after 120 s')
  process.exit(1)
}, 120000)

function agentFor(cert, key) {
  return new https.Agent({
    ca: CA,
    cert: fs.readFileSync(cert),
    key: fs.readFileSync(key),
    keepAlive: true,
  })
}
const rsAgent = agentFor(env.TUS_CERT, env.TUS_KEY)
const pkAgent = agentFor(env.TUS_OTHER_CERT, env.TUS_OTHER_KEY)

// A body that trickles out, 64 KiB every 20 ms, as over a slow line.
function trickle(buf) {
  let at = 0
  return new Readable({
    read() {
      if (at >= buf.length) {
        this.push(null)
        return
      }
      const piece = buf.subarray(at, at + 65536)
      at += piece.length
      setTimeout(() => this.push(piece), 20)
    },
  })
}

// tus-js-client's own Node stack, with our TLS agent (client certificate,
// pinned CA), and a log of the requests it makes; slow: PATCH bodies
// trickle.
function stackFor(agent, log, slow = false) {
  const inner = new tus.DefaultHttpStack({ agent })
  return {
    getName: () => 'logged NodeHttpStack',
    createRequest(method, url) {
      const req = inner.createRequest(method, url)
      const send = req.send.bind(req)
      req.send = (body) => {
        const entry = { method, url, offset: req.getHeader('Upload-Offset') }
        if (log) log.push(entry)
        if (slow && body instanceof Uint8Array) body = trickle(body)
        return send(body).then((res) => {
          entry.status = res.getStatus()
          return res
        })
      }
      return req
    },
  }
}

function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex')
}

// One raw request with Node's https module: {status, headers, body}.
function raw(method, url, { agent = rsAgent, headers = {}, body = null } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, agent, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({
        status: res.statusCode,
        headers: res.headers,
        body: Buffer.concat(chunks),
      }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function head(url, agent = rsAgent) {
  return raw('HEAD', url, { agent, headers: { 'Tus-Resumable': '1.0.0' } })
}

// Upload to the end; resolves {url, log, chunks} or rejects with the error.
function upload(data, { previous, ...opts } = {}) {
  const log = []
  let chunks = 0
  return new Promise((resolve, reject) => {
    const up = new tus.Upload(data, {
      endpoint: ENDPOINT,
      httpStack: stackFor(rsAgent, log),
      retryDelays: [100, 300, 1000, 2000],
      metadata: { sha256: sha256(data), filename: 'scan.pdf' },
      onChunkComplete: () => { chunks++ },
      onSuccess: () => resolve({ url: up.url, log, chunks }),
      onError: (err) => { err.log = log; reject(err) },
      ...opts,
    })
    if (previous) up.resumeFromPreviousUpload(previous)
    up.start()
  })
}

function statusOf(err) {
  const res = err && err.originalResponse
  return res ? res.getStatus() : 0
}

function blobFile(hash) {
  return path.join(env.TUS_DATA, 'blobs', hash.slice(0, 2), hash)
}

async function main() {
  // ---- a plain upload in chunks ---------------------------------------------
  {
    const data = randomBytes(1000000)
    const name = 'upload of 1,000,000 bytes in 256 KiB chunks'
    try {
      const r = await upload(data, { chunkSize: 262144 })
      const patches = r.log.filter((e) => e.method === 'PATCH')
      check(name, r.chunks === 4 && patches.length === 4 &&
        /\/v1\/uploads\/[0-9a-f]{32}$/.test(r.url),
      `${r.chunks} chunks, ${patches.length} PATCHes, url ${r.url}`)
      const got = await raw('GET', `${BASE}/v1/blobs/${sha256(data)}`)
      check('the uploader downloads it: the same bytes', got.status === 200 &&
        sha256(got.body) === sha256(data), `HTTP ${got.status}`)
      check('the exchange stored it once under its hash',
        fs.existsSync(blobFile(sha256(data))), 'no blob file')
    } catch (err) {
      fail(name, String(err))
    }
  }

  // ---- abort between chunks, resume with the same fingerprint ----------------
  {
    const data = randomBytes(600000)
    const chunk = 131072
    const urlStorage = new tus.FileUrlStorage(path.join(env.TUS_TMP, 'urls.json'))
    const log1 = []
    let first
    try {
      const at = await new Promise((resolve, reject) => {
        first = new tus.Upload(data, {
          endpoint: ENDPOINT,
          httpStack: stackFor(rsAgent, log1),
          chunkSize: chunk,
          urlStorage,
          retryDelays: null,
          metadata: { sha256: sha256(data), filename: 'паспорт.pdf' },
          onChunkComplete: (size, accepted) => {
            first.abort()
            resolve(accepted)
          },
          onError: reject,
        })
        first.start()
      })
      check('abort after the first chunk', at === chunk,
        `${at} bytes accepted`)
      const h = await head(first.url)
      check("the server's offset after the abort is one chunk",
        h.status === 200 && h.headers['upload-offset'] === String(chunk),
        `HEAD ${h.status}, Upload-Offset ${h.headers['upload-offset']}`)
      const meta = String(h.headers['upload-metadata'] || '')
      const fn = /filename ([^,]*)/.exec(meta)
      check('HEAD gives the filename back as sent (UTF-8, base64)',
        fn && Buffer.from(fn[1], 'base64').toString('utf8') === 'паспорт.pdf',
        `Upload-Metadata: ${meta}`)

      const probe = new tus.Upload(data, { endpoint: ENDPOINT, urlStorage })
      const prev = await probe.findPreviousUploads()
      check('the URL storage has the upload under its fingerprint',
        prev.length === 1 && prev[0].uploadUrl === first.url,
        `${prev.length} previous uploads`)
      const r = await upload(data, {
        chunkSize: chunk,
        urlStorage,
        metadata: { sha256: sha256(data), filename: 'паспорт.pdf' },
        previous: prev[0],
      })
      const posts = r.log.filter((e) => e.method === 'POST').length
      const patch1 = r.log.find((e) => e.method === 'PATCH')
      check("the new Upload resumes at the server's offset, not 0",
        posts === 0 && r.url === first.url && patch1 &&
        patch1.offset === String(chunk),
        `${posts} POSTs, first PATCH at ${patch1 && patch1.offset}`)
      const got = await raw('GET', `${BASE}/v1/blobs/${sha256(data)}`)
      check('the resumed upload is whole', got.status === 200 &&
        sha256(got.body) === sha256(data), `HTTP ${got.status}`)
    } catch (err) {
      fail('resume after an abort between chunks', String(err))
    }
  }

  // ---- abort in the middle of a PATCH ---------------------------------------
  {
    const data = randomBytes(3 * 1048576)
    let first
    try {
      await new Promise((resolve, reject) => {
        let done = false
        first = new tus.Upload(data, {
          endpoint: ENDPOINT,
          httpStack: stackFor(rsAgent, null, true),
          retryDelays: null,
          metadata: { sha256: sha256(data) },
          onProgress: (sent) => {
            if (!done && sent >= 1048576) {
              done = true
              first.abort()
              resolve()
            }
          },
          onSuccess: () => reject(new Error('finished before the abort')),
          onError: reject,
        })
        first.start()
      })
      // the exchange keeps what arrived once it sees the connection go
      let off = 0
      for (let i = 0; i < 50 && off === 0; i++) {
        await new Promise((r) => setTimeout(r, 100))
        off = Number((await head(first.url)).headers['upload-offset'] || 0)
      }
      check('a PATCH cut off midway: the exchange kept what arrived',
        off > 0 && off < data.length, `Upload-Offset ${off}`)
      const r = await upload(data, { uploadUrl: first.url })
      const ok = r.log.filter((e) => e.method === 'PATCH' && e.status === 204)
      check('resumed from there with uploadUrl, whole',
        ok.length >= 1 && Number(ok[0].offset) > 0 &&
        fs.existsSync(blobFile(sha256(data))),
        `PATCHes ${JSON.stringify(r.log.map((e) => [e.method, e.offset, e.status]))}`)
    } catch (err) {
      fail('resume after an abort mid-PATCH', String(err))
    }
  }

  // ---- a checksum mismatch is an error the client sees -------------------------
  {
    const data = randomBytes(70000)
    const wrong = createHash('sha256').update('not these bytes').digest('base64')
    let url = null
    try {
      await upload(data, {
        headers: { 'Upload-Checksum': `sha256 ${wrong}` },
        retryDelays: [100, 300],
      })
      fail('a wrong Upload-Checksum fails the upload', 'it succeeded')
    } catch (err) {
      check('a wrong Upload-Checksum: the client reports HTTP 460',
        statusOf(err) === 460 &&
        err.log.filter((e) => e.method === 'PATCH').length === 1,
        `status ${statusOf(err)}: ${err}`)
      url = url || (err.log.find((e) => e.method === 'PATCH') || {}).url
    }
    if (url) {
      let h = await head(url)
      check('the mismatched chunk was dropped: offset 0',
        h.status === 200 && h.headers['upload-offset'] === '0',
        `HEAD ${h.status}, Upload-Offset ${h.headers['upload-offset']}`)
      const part = data.subarray(0, 50000)
      const patch = (alg, sum) => raw('PATCH', url, {
        headers: {
          'Tus-Resumable': '1.0.0',
          'Content-Type': 'application/offset+octet-stream',
          'Upload-Offset': '0',
          'Upload-Checksum': `${alg} ${sum}`,
        },
        body: part,
      })
      let r = await patch('sha1', createHash('sha1').update('x').digest('base64'))
      check('a raw PATCH with a wrong sha1 checksum: 460', r.status === 460,
        `HTTP ${r.status}`)
      r = await patch('sha256', createHash('sha256').update(part).digest('base64'))
      check('a raw PATCH with the right sha256 checksum: 204',
        r.status === 204 && r.headers['upload-offset'] === '50000',
        `HTTP ${r.status}, Upload-Offset ${r.headers['upload-offset']}`)

      // ---- termination, and a stranger ---------------------------------------
      const asPk = await new Promise((resolve) => {
        const up = new tus.Upload(data, {
          uploadUrl: url,
          httpStack: stackFor(pkAgent, null),
          retryDelays: null,
          onSuccess: () => resolve(200),
          onError: (err) => resolve(statusOf(err)),
        })
        up.start()
      })
      check("another agency's certificate cannot resume it: 404", asPk === 404,
        `status ${asPk}`)
      try {
        await tus.Upload.terminate(url, { httpStack: stackFor(rsAgent, null) })
        h = await head(url)
        check('Upload.terminate: the upload is gone (HEAD 404)',
          h.status === 404, `HEAD ${h.status}`)
      } catch (err) {
        fail('Upload.terminate', String(err))
      }
    } else {
      fail('the checksum upload', 'no upload URL')
    }
  }
}

main()
  .catch((err) => fail('unexpected', err && err.stack ? err.stack : String(err)))
  .finally(() => {
    clearTimeout(watchdog)
    rsAgent.destroy()
    pkAgent.destroy()
    console.log(`# interop: ${failed ? 'failed' : 'all passed'}`)
    process.exit(failed ? 1 : 0)
  })
