/**
 * The CA certificate `kindling init` writes until the user puts the cluster's own in its place: a
 * self-signed certificate whose subject says it is FAKE, valid until 2126, so that a fresh project
 * validates and builds. It belongs to no cluster; nodes built with it cannot verify a real API server.
 */
export const PLACEHOLDER_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBxjCCAW2gAwIBAgIUYDKUbaWT2cGRsGl8VDYoyJEuC6UwCgYIKoZIzj0EAwIw
ODE2MDQGA1UEAwwtRkFLRSBraW5kbGluZyBleGFtcGxlIENBIC0gbm90IGEgcmVh
bCBjbHVzdGVyMCAXDTI2MTEyNjE2NTAwMloYDzIxMjYxMTAyMTY1MDAyWjA4MTYw
NAYDVQQDDC1GQUtFIGtpbmRsaW5nIGV4YW1wbGUgQ0EgLSBub3QgYSByZWFsIGNs
dXN0ZXIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARBrhB8xZKzKidpLzOr3OuQ
EEiSnWkg32Y9feI1lxIel4mvT+IlhOWIwqVN637rTA84TFVeomI4mG3lP+pDzMAq
o1MwUTAdBgNVHQ4EFgQUmdW+EC8ynOjFkauNxGH8uOgd7aAwHwYDVR0jBBgwFoAU
mdW+EC8ynOjFkauNxGH8uOgd7aAwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNHADBEAiASNFQYWOEWD93K6Sskipd+vW4wm/zXRGhEpJ8wGXILtwIgOUDKb3My
qtKxuKcKp+A+JmHJXvMJEGsh3kcbdL7kFQo=
-----END CERTIFICATE-----
`;
