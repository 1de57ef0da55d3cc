#!/usr/bin/python3
"""Ferry's --sign-command for an Ed25519 key in a PKCS#11 token (SoftHSM2, a YubiHSM, a Nitrokey HSM, ...).

    bundler sign BUNDLE --sign-command "ferry-pkcs11-sign.py --label release-hsm" --sign-pub release-hsm.pub.pem
    ferry-pkcs11-sign.py --label release-hsm --pub > release-hsm.pub.pem     # the public key, once

Reads the bytes to sign on stdin and writes the raw 64-byte Ed25519 signature to stdout, calling C_Sign ONCE with
CKM_EDDSA over the whole message (pkcs11-tool --sign cannot: above 1 KiB it signs in parts, which tokens refuse for
EdDSA). The PIN comes from env FERRY_PKCS11_PIN or the file named by FERRY_PKCS11_PIN_FILE, never from the command
line (where ps shows it). The module is FERRY_PKCS11_MODULE (default: SoftHSM2's).
"""
import argparse
import base64
import os
import sys

import PyKCS11

SPKI_ED25519_PREFIX = bytes.fromhex("302a300506032b6570032100")


def pin():
    if os.environ.get("FERRY_PKCS11_PIN_FILE"):
        with open(os.environ["FERRY_PKCS11_PIN_FILE"], encoding="utf-8") as f:
            return f.readline().rstrip("\r\n")
    if "FERRY_PKCS11_PIN" in os.environ:
        return os.environ["FERRY_PKCS11_PIN"]
    sys.exit("ferry-pkcs11-sign: no PIN: set FERRY_PKCS11_PIN_FILE (or FERRY_PKCS11_PIN)")


def session(token_label):
    lib = PyKCS11.PyKCS11Lib()
    lib.load(os.environ.get("FERRY_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so"))
    for slot in lib.getSlotList(tokenPresent=True):
        if token_label is None or lib.getTokenInfo(slot).label.strip() == token_label:
            s = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)
            s.login(pin())
            return s
    sys.exit("ferry-pkcs11-sign: no token labelled %r" % token_label)


def one(s, cls, label):
    found = s.findObjects([(PyKCS11.CKA_CLASS, cls), (PyKCS11.CKA_LABEL, label)])
    if len(found) != 1:
        sys.exit("ferry-pkcs11-sign: %d objects labelled %r (expected 1)" % (len(found), label))
    return found[0]


def public_pem(s, label):
    point = bytes(s.getAttributeValue(one(s, PyKCS11.CKO_PUBLIC_KEY, label), [PyKCS11.CKA_EC_POINT])[0])
    raw = point[-32:]  # a DER OCTET STRING (04 20 + 32 bytes) or the 32 bytes themselves
    body = base64.b64encode(SPKI_ED25519_PREFIX + raw).decode()
    return "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="the key pair's CKA_LABEL")
    parser.add_argument("--token", help="the token's label (default: the first token)")
    parser.add_argument("--pub", action="store_true", help="print the public key as PEM instead of signing")
    args = parser.parse_args()
    s = session(args.token)
    try:
        if args.pub:
            sys.stdout.write(public_pem(s, args.label))
            return
        message = sys.stdin.buffer.read()
        key = one(s, PyKCS11.CKO_PRIVATE_KEY, args.label)
        signature = bytes(s.sign(key, message, PyKCS11.Mechanism(PyKCS11.CKM_EDDSA, None)))
        if len(signature) != 64:
            sys.exit("ferry-pkcs11-sign: the token returned %d bytes, not a 64-byte Ed25519 signature" % len(signature))
        sys.stdout.buffer.write(signature)
    finally:
        s.logout()
        s.closeSession()


if __name__ == "__main__":
    main()
