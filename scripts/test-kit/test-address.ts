/**
 * The header with which a test says which client address it stands for: the
 * test stack names it in ADDRESS_HEADER (see worker/src/http/client-address.ts).
 */
export const TEST_ADDRESS_HEADER = "x-test-address";
