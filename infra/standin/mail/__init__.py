"""The stand-in's mail provider for superlists.test, at config.MAIL_HOST.

service       starts and stops it: the SMTP server and Dovecot, the Maildirs and their owner
smtp_server   the SMTP server (aiosmtpd): `python -m infra.standin.mail.smtp_server`
dovecot       the POP3 server: Dovecot with a private configuration
mailboxes     which mailbox an address belongs to, and delivery into its Maildir
probe         sending a test mail as the app would, and reading it back as the FTs do
"""
