// Fixed configuration for tests that run the Worker: never used outside tests.
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';
export const TEST_ISSUER = 'http://localhost:8787';
export const TEST_KEY_ENCRYPTION_SECRET = 'dGVzdC1rZXktZW5jcnlwdGlvbi1zZWNyZXQtMzJiISE';
