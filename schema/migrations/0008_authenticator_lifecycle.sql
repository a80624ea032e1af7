ALTER TABLE `webauthn_credentials` ADD `name` text;--> statement-breakpoint
ALTER TABLE `webauthn_credentials` ADD `revoked_at` integer;