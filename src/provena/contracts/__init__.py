"""Provena's business chaincode: certification and custody tracking."""
