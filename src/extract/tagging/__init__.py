"""Part-of-speech taggers and lemmatizers behind one small interface."""
