DROP FUNCTION polku_name_search(text, real, integer, uuid[], uuid, text, uuid, integer);
DROP FUNCTION polku_similar_words(text, real, integer);
