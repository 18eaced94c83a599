// server.mjs - the reference tus server, @tus/server with its file store
// (npm, pinned in package-lock.json), behind HTTPS with client
// certificates like the exchange, for tests/sync/tus-interop.sh:
// the workstation's tus client uploads to it, proving that it speaks
// standard tus and not only the exchange's dialect.
//
//   node server.mjs PORT_FILE DIR CA CERT KEY
//
// Listens on 127.0.0.1 (a free port, written to PORT_FILE), stores uploads
// in DIR; serves tus at /v1/uploads, and answers HEAD /v1/blobs/{sha256}
// with 404 (it never has a blob: every document goes through tus).  It
// can be told to cut PATCHes: a file DIR/cut holding "OFFSET BYTES COUNT"
// makes the next COUNT PATCHes at Upload-Offset OFFSET lose their
// connection after BYTES bytes of body (then the file is removed), so that
// the client must resume from the server's offset.  (COUNT 2: libcurl
// sends a request again by itself, once, when a reused connection dies
// before any answer; the second cut is on a fresh connection.)
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'
import fs from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import { Transform } from 'node:stream'

const [portFile, dir, ca, cert, key] = process.argv.slice(2)
// The cut is made inside the store's write, on the stream the tus server
// hands it, so that no byte is taken from the request behind its back.
let cutNext = null
class CuttingStore extends FileStore {
  write(readable, id, offset) {
    const cut = cutNext
    cutNext = null
    if (!cut) return super.write(readable, id, offset)
    let seen = 0
    const counter = new Transform({
      transform(chunk, enc, cb) {
        seen += chunk.length
        if (seen >= cut.limit) {
          cut.socket.destroy()
          cb()
          return
        }
        cb(null, chunk)
      },
    })
    readable.on('error', (e) => counter.destroy(e))
    readable.pipe(counter)
    return super.write(counter, id, offset)
  }
}

const tus = new Server({
  path: '/v1/uploads',
  datastore: new CuttingStore({ directory: dir }),
  // behind TLS the absolute Location must say https
  generateUrl: (req, { host, path: p, id }) => `https://${host}${p}/${id}`,
})

const server = https.createServer({
  ca: fs.readFileSync(ca),
  cert: fs.readFileSync(cert),
  key: fs.readFileSync(key),
  requestCert: true,
  rejectUnauthorized: true,
}, (req, res) => {
  fs.appendFileSync(path.join(dir, 'requests.log'),
    `${req.method} ${req.url} ${req.headers['upload-offset'] ?? ''}\n`)
  if (req.url.startsWith('/v1/blobs/')) {
    res.writeHead(404).end()
    return
  }
  const cutFile = path.join(dir, 'cut')
  if (req.method === 'PATCH' && fs.existsSync(cutFile)) {
    const [at, limit, count] = fs.readFileSync(cutFile, 'utf8').trim()
      .split(/\s+/).map(Number)
    if (String(at) !== req.headers['upload-offset']) {
      tus.handle(req, res)
      return
    }
    if (count > 1) fs.writeFileSync(cutFile, `${at} ${limit} ${count - 1}\n`)
    else fs.unlinkSync(cutFile)
    const cut = { socket: req.socket, limit }
    cutNext = cut
    // a PATCH answered without a write (a 409, say) leaves nothing armed
    res.on('close', () => { if (cutNext === cut) cutNext = null })
  }
  tus.handle(req, res)
})
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port))
})
