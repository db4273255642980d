"""Custom actions of the Protheus support assistant (rasa-sdk action server)."""
