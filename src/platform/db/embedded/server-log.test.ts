import { describe, expect, it } from 'vitest';
import { createServerLogParser, type ServerLogLevel } from './server-log.js';

describe('the embedded server log', () => {
  const parse = (text: string) => {
    const seen: [ServerLogLevel, string][] = [];
    const feed = createServerLogParser((level, message) => seen.push([level, message]));
    // Split mid-line, as pipes deliver it.
    feed(text.slice(0, 7));
    feed(text.slice(7));
    return seen;
  };

  it('passes on the server’s own trouble at warn or error, with its details', () => {
    expect(
      parse(
        '01000|WARNING:  checkpoints are occurring too frequently (9 seconds apart)\n' +
          '00000|HINT:  Consider increasing the configuration parameter "max_wal_size".\n' +
          '53100|ERROR:  could not extend file "base/16384/16385": No space left on device\n' +
          'XX000|PANIC:  could not write to file "pg_wal/xlogtemp.123"\n',
      ),
    ).toEqual([
      ['warn', 'checkpoints are occurring too frequently (9 seconds apart) (01000)'],
      ['warn', 'hint: Consider increasing the configuration parameter "max_wal_size".'],
      ['error', 'could not extend file "base/16384/16385": No space left on device (53100)'],
      ['error', 'could not write to file "pg_wal/xlogtemp.123" (XX000)'],
    ]);
  });

  it('drops what clients caused or what we asked for, and the chatter below warning', () => {
    expect(
      parse(
        '23505|ERROR:  duplicate key value violates unique constraint "customers_pkey"\n' +
          '23505|DETAIL:  Key (id)=(1) already exists.\n' +
          '57P01|FATAL:  terminating connection due to administrator command\n' +
          '57P03|FATAL:  the database system is starting up\n' +
          '00000|LOG:  database system is ready to accept connections\n',
      ),
    ).toEqual([]);
  });

  it('keeps a refused login at warn, and a line it cannot read as it is', () => {
    expect(
      parse('28P01|FATAL:  password authentication failed for user "postgres"\nsomething odd\n'),
    ).toEqual([
      ['warn', 'password authentication failed for user "postgres" (28P01)'],
      ['warn', 'something odd'],
    ]);
  });
});
