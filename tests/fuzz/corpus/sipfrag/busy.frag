SIP/2.0 486 Busy Here
CSeq: 1 INVITE
