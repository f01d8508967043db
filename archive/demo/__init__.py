"""Demo archive: Swedish content written for this project, and the code that builds it.

``content`` holds the data (series, venues, speakers, seminars, transcript lines) as plain Python;
``media`` draws portraits, slide PDFs and short videos in code; ``build`` puts it in the database.
"""
