// placeholder until the SDP module lands
