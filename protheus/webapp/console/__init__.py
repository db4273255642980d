"""The agents' and trainers' console (/consola), served by the same web app as the customer page."""
