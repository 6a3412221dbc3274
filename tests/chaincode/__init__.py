"""Tests of provena.chaincode and the devnet chaincode launcher."""
