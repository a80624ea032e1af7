ALTER TABLE `webauthn_credentials` ADD `assurance_basis` text DEFAULT 'self_asserted' NOT NULL;--> statement-breakpoint
ALTER TABLE `webauthn_credentials` ADD `key_protection` text;--> statement-breakpoint
ALTER TABLE `webauthn_credentials` ADD `user_verification_methods` text;