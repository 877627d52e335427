print("bls-fcgi")
