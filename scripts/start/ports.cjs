// Ports for `npm start`: who answers where, and which ports are free.
const net = require('node:net');

/** True when something accepts a TCP connection on host:port within the timeout. */
function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when a server could listen on host:port now. */
function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now. */
function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

class PortTakenError extends Error {}

/**
 * The port to use for a service: the one the user asked for (which must be free, or a PortTakenError
 * says so; 0 means any free one), else the usual one when free, else any free port (and `moved` tells the caller to say so).
 */
async function choosePort({ name, requested, usual, variable, host = '127.0.0.1', taken = [] }) {
  if (requested !== undefined && requested !== null && requested !== '') {
    const port = Number(requested);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new PortTakenError(
        `${variable}=${JSON.stringify(requested)} is not a port number (0-65535)`,
      );
    if (port === 0) {
      // 0: any free port (tests); never one already handed to another service
      let free = await freePort(host);
      while (taken.includes(free)) free = await freePort(host);
      return { port: free, moved: false };
    }
    if (taken.includes(port) || !(await isPortFree(port, host))) {
      throw new PortTakenError(
        `${name}: port ${port} (from ${variable}) is already in use. Stop what listens there or choose another ${variable}.`,
      );
    }
    return { port, moved: false };
  }
  if (!taken.includes(usual) && (await isPortFree(usual, host)))
    return { port: usual, moved: false };
  let port = await freePort(host);
  while (taken.includes(port)) port = await freePort(host);
  return { port, moved: true };
}

module.exports = { canConnect, isPortFree, freePort, choosePort, PortTakenError };
