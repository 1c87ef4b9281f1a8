import { connect } from 'node:tls';

/**
 * Opens a mutual-TLS connection to the register's intake with the gateway's forwarding certificate and
 * closes it once the handshake succeeded: proves the network path, the register's certificate and that the
 * register accepts ours, without sending anything.
 */
export function probeRegister(
  intakeUrl: string,
  credentials: { certPem: string; keyPem: string; caPems: string[] },
  signal: AbortSignal,
): Promise<void> {
  const url = new URL(intakeUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 443),
      servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
      cert: credentials.certPem,
      key: credentials.keyPem,
      ca: credentials.caPems,
      minVersion: 'TLSv1.2',
    });
    const abort = () => socket.destroy(new Error('timed out'));
    signal.addEventListener('abort', abort, { once: true });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', abort);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      reject(new Error(error.code ?? error.message));
    });
  });
}
