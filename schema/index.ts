export * from './people.ts';
export * from './credentials.ts';
export * from './clients.ts';
export * from './audit.ts';
export * from './person-index.ts';
export * from './signing-keys.ts';
export * from './backchannel-outbox.ts';
