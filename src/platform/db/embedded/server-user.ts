import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Who the embedded PostgreSQL runs as. PostgreSQL refuses to run as root, so a root Interchange
 * (a container, CI) runs it as the `postgres` system user, created on first use when missing;
 * anyone else runs it as themselves.
 */
export interface ServerUser {
  uid: number;
  gid: number;
  name: string;
}

export const serverUserName = 'postgres';

/** The user to run PostgreSQL as, or undefined for the current user. */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookup();
  if (found) return found;
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        serverUserName,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `PostgreSQL cannot run as root and the "${serverUserName}" user could not be created ` +
        `(${detail || (error as Error).message}); create it, or run Interchange as another user`,
    );
  }
  const created = lookup();
  if (!created) throw new Error(`the "${serverUserName}" user was created but cannot be found`);
  return created;
}

function lookup(): ServerUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', serverUserName], { stdio: 'pipe' }).toString());
    const gid = Number(execFileSync('id', ['-g', serverUserName], { stdio: 'pipe' }).toString());
    return Number.isInteger(uid) && Number.isInteger(gid)
      ? { uid, gid, name: serverUserName }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fails with a sentence naming the path when the server user cannot reach it (e.g. a checkout
 * under /root, mode 700): PostgreSQL itself would only say "permission denied" much later.
 */
export function assertReachable(
  user: ServerUser,
  paths: { path: string; what: string; read?: boolean }[],
): void {
  for (const { path, what, read } of paths) {
    const probe = spawnSync('test', read ? ['-r', path, '-a', '-x', path] : ['-x', path], {
      uid: user.uid,
      gid: user.gid,
      stdio: 'ignore',
    });
    if (probe.status !== 0) {
      throw new Error(
        `${what} ${path} is not reachable by the "${user.name}" user that runs PostgreSQL ` +
          '(every parent directory needs o+x): move it, e.g. INTERCHANGE_DATA_DIR=/var/lib/interchange, ' +
          'or set DATABASE_URL',
      );
    }
  }
}
