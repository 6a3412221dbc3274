/** @peculiar/x509, with the Reflect metadata polyfill its dependency injection needs first. */
import 'reflect-metadata';

export { Pkcs10CertificateRequestGenerator, X509Certificate } from '@peculiar/x509';
